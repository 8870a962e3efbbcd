/**
 * The in-memory CertificateStore: the reference semantics every other adapter is measured against by the
 * contract suite, and the store of the domain's unit tests. Each write computes the next state as a pure
 * function of the current one and swaps it in with one `Ref.modify`, which is what makes it atomic.
 */
import { Certificate as C, Errors, Ids, Owner as O, CertificateStore as Store } from "@certory/domain"
import { Effect, Either, Layer, Option, Ref } from "effect"

interface State {
  readonly owners: ReadonlyMap<string, O.Owner>
  readonly certificates: ReadonlyMap<Ids.Sha256Hex, C.Certificate>
  /** Owner key -> SHA-256 -> binding. */
  readonly bindings: ReadonlyMap<string, ReadonlyMap<Ids.Sha256Hex, C.Binding>>
}

const empty: State = { owners: new Map(), certificates: new Map(), bindings: new Map() }

const compareValues = (a: number | string, b: number | string): number =>
  typeof a === "number" && typeof b === "number" ? a - b : Store.compareText(String(a), String(b))

/** Order by (value, certificateId), both in `direction`. */
const compareItems =
  (field: Store.SortField, direction: Store.SortDirection) =>
  (a: C.OwnerCertificate, b: C.OwnerCertificate): number => {
    const order =
      compareValues(Store.sortValue(a, field), Store.sortValue(b, field)) ||
      Store.compareText(a.binding.certificateId, b.binding.certificateId)
    return direction === "asc" ? order : -order
  }

const isAfter = (
  item: C.OwnerCertificate,
  field: Store.SortField,
  direction: Store.SortDirection,
  after: Store.After | undefined
): boolean => {
  if (after === undefined) return true
  const order =
    compareValues(Store.sortValue(item, field), after.value) ||
    Store.compareText(item.binding.certificateId, after.certificateId)
  return direction === "asc" ? order > 0 : order < 0
}

const within = (value: number, min: number | undefined, max: number | undefined): boolean =>
  (min === undefined || value >= min) && (max === undefined || value <= max)

/** Whether an owner lies in the scope; every owner when there is none. */
const scopeFilter = (scope: Store.OwnerScope | undefined): ((ref: Ids.OwnerRef) => boolean) => {
  if (scope === undefined) return () => true
  const keys = new Set(scope.owners.map(Ids.ownerKey))
  const stores = new Set<string>(scope.identityStoreIds)
  return (ref) => {
    const store = Ids.identityStoreOf(ref)
    return keys.has(Ids.ownerKey(ref)) || (store !== undefined && stores.has(store))
  }
}

/** Build the layer once and share it: each build is a new, empty store. */
export const make = Effect.gen(function* () {
  const state = yield* Ref.make(empty)

  const withCertificate = (state: State, binding: C.Binding): C.OwnerCertificate =>
    new C.OwnerCertificate({ binding, certificate: state.certificates.get(binding.sha256)! })

  const ownerBindings = (state: State, key: string): ReadonlyArray<C.Binding> => [
    ...(state.bindings.get(key)?.values() ?? [])
  ]

  const allItems = (state: State): ReadonlyArray<C.OwnerCertificate> =>
    [...state.bindings.values()].flatMap((byHash) =>
      [...byHash.values()].map((b) => withCertificate(state, b))
    )

  /** Runs a pure transition atomically: the state changes only when it succeeds. */
  const transition = <A, E>(
    f: (state: State) => Either.Either<readonly [A, State], E>
  ): Effect.Effect<A, E> =>
    Effect.flatten(
      Ref.modify(state, (current): readonly [Either.Either<A, E>, State] =>
        Either.match(f(current), {
          onLeft: (error) => [Either.left(error), current] as const,
          onRight: ([result, next]) => [Either.right(result), next] as const
        })
      )
    )

  return Store.CertificateStore.of({
    createOwner: (owner) =>
      transition<void, Errors.OwnerNotFound | Errors.OwnerAlreadyExists>((s) => {
        const key = Ids.ownerKey(owner.ref)
        if (owner.ref._tag === "Idp") {
          const parent = Ids.ownerKey(Ids.IdentityStoreRef.make({ id: owner.ref.identityStoreId }))
          if (!s.owners.has(parent)) return Either.left(new Errors.OwnerNotFound({ owner: parent }))
        }
        if (s.owners.has(key)) return Either.left(new Errors.OwnerAlreadyExists({ owner: key }))
        return Either.right([undefined, { ...s, owners: new Map(s.owners).set(key, owner) }] as const)
      }),

    getOwner: (ref) =>
      Ref.get(state).pipe(Effect.map((s) => Option.fromNullable(s.owners.get(Ids.ownerKey(ref))))),

    updateOwner: (ref, patch: Store.OwnerPatch) =>
      transition((s) => {
        const key = Ids.ownerKey(ref)
        const owner = s.owners.get(key)
        if (owner === undefined) return Either.left(new Errors.OwnerNotFound({ owner: key }))
        const { displayName, metadataUrl, saml, enabled, ...rest } = owner
        // Present-but-undefined clears a field; absent keeps it.
        const nextDisplayName = "displayName" in patch ? patch.displayName : displayName
        const nextMetadataUrl = "metadataUrl" in patch ? patch.metadataUrl : metadataUrl
        const nextSaml = "saml" in patch ? patch.saml : saml
        const updated = O.Owner.make({
          ...rest,
          enabled: patch.enabled ?? enabled,
          ...(nextDisplayName === undefined ? {} : { displayName: nextDisplayName }),
          ...(nextMetadataUrl === undefined ? {} : { metadataUrl: nextMetadataUrl }),
          ...(nextSaml === undefined ? {} : { saml: nextSaml })
        })
        return Either.right([updated, { ...s, owners: new Map(s.owners).set(key, updated) }] as const)
      }),

    listOwners: (query: Store.OwnerQuery) =>
      Ref.get(state).pipe(
        Effect.map((s) => {
          const inScope = scopeFilter(query.scope)
          const matches = [...s.owners.entries()]
            .filter(
              ([, owner]) =>
                inScope(owner.ref) &&
                (query.kind === undefined || owner.ref._tag === query.kind) &&
                (query.identityStoreId === undefined ||
                  Ids.identityStoreOf(owner.ref) === query.identityStoreId)
            )
            .sort(([a], [b]) => Store.compareText(a, b))
          const { afterKey } = query
          const page =
            afterKey === undefined ? matches : matches.filter(([key]) => Store.compareText(key, afterKey) > 0)
          return { items: page.slice(0, query.limit).map(([, owner]) => owner), total: matches.length }
        })
      ),

    removeOwner: (ref) =>
      transition((s) => {
        const key = Ids.ownerKey(ref)
        if (!s.owners.has(key)) return Either.left(new Errors.OwnerNotFound({ owner: key }))
        // An identity store takes its IdPs with it.
        const removed =
          ref._tag === "IdentityStore"
            ? [...s.owners.values()]
                .filter((o) => Ids.identityStoreOf(o.ref) === ref.id)
                .map((o) => Ids.ownerKey(o.ref))
            : [key]
        const owners = new Map(s.owners)
        const bindings = new Map(s.bindings)
        for (const k of removed) {
          owners.delete(k)
          bindings.delete(k)
        }
        return Either.right([undefined, { ...s, owners, bindings }] as const)
      }),

    bind: (request: Store.BindRequest) =>
      transition<ReadonlyArray<Store.BindResult>, Errors.OwnerNotFound | Errors.CertificateLimitReached>(
        (s) => {
          const key = Ids.ownerKey(request.owner)
          if (!s.owners.has(key)) return Either.left(new Errors.OwnerNotFound({ owner: key }))
          const certificates = new Map(s.certificates)
          const byHash = new Map(s.bindings.get(key) ?? [])
          const results: Array<Store.BindResult> = []
          for (const item of request.items) {
            const sha256 = item.certificate.sha256
            const existing = byHash.get(sha256)
            if (existing !== undefined) {
              results.push({ binding: existing, created: false })
              continue
            }
            if (!certificates.has(sha256)) certificates.set(sha256, item.certificate)
            const binding = C.Binding.make({
              certificateId: item.certificateId,
              owner: request.owner,
              sha256,
              isKeyHistory: item.attributes.isKeyHistory,
              archivedOnCa: item.attributes.archivedOnCa,
              certificateType: item.attributes.certificateType,
              origin: item.attributes.origin,
              use: item.attributes.use,
              source: item.attributes.source,
              boundBy: request.boundBy,
              boundAt: request.boundAt,
              ...(item.submittedPem === undefined ? {} : { submittedPem: item.submittedPem })
            })
            byHash.set(sha256, binding)
            results.push({ binding, created: true })
          }
          if (request.maxBindings !== undefined && byHash.size > request.maxBindings) {
            return Either.left(new Errors.CertificateLimitReached({ owner: key, limit: request.maxBindings }))
          }
          return Either.right([
            results,
            { ...s, certificates, bindings: new Map(s.bindings).set(key, byHash) }
          ] as const)
        }
      ),

    unbind: (request) =>
      transition<C.Binding, Errors.OwnerNotFound | Errors.CertificateNotFound | Errors.LastValidCertificate>(
        (s) => {
          const key = Ids.ownerKey(request.owner)
          if (!s.owners.has(key)) return Either.left(new Errors.OwnerNotFound({ owner: key }))
          const held = ownerBindings(s, key)
          const binding = held.find((b) => b.certificateId === request.certificateId)
          if (binding === undefined) {
            return Either.left(
              new Errors.CertificateNotFound({ owner: key, certificateId: request.certificateId })
            )
          }
          const keep = request.keepValid
          if (keep !== undefined) {
            const isValid = (b: C.Binding) => {
              const c = s.certificates.get(b.sha256)!
              return c.notBefore <= keep.from && c.notAfter >= keep.until
            }
            if (isValid(binding) && !held.some((b) => b !== binding && isValid(b))) {
              return Either.left(
                new Errors.LastValidCertificate({ owner: key, certificateId: request.certificateId })
              )
            }
          }
          // The certificate row stays: other owners may hold it, and it is what look-ups return.
          const byHash = new Map(s.bindings.get(key))
          byHash.delete(binding.sha256)
          return Either.right([binding, { ...s, bindings: new Map(s.bindings).set(key, byHash) }] as const)
        }
      ),

    getBinding: (owner: Ids.OwnerRef, certificateId: Ids.CertificateId) =>
      Ref.get(state).pipe(
        Effect.map((s) =>
          Option.fromNullable(
            ownerBindings(s, Ids.ownerKey(owner)).find((b) => b.certificateId === certificateId)
          ).pipe(Option.map((b) => withCertificate(s, b)))
        )
      ),

    listBindings: (query: Store.BindingQuery) =>
      Ref.get(state).pipe(
        Effect.flatMap((s) => {
          const key = Ids.ownerKey(query.owner)
          if (!s.owners.has(key)) return Effect.fail(new Errors.OwnerNotFound({ owner: key }))
          const { field, direction } = query.sort
          const matches = ownerBindings(s, key)
            .map((b) => withCertificate(s, b))
            .filter(
              ({ binding, certificate }) =>
                within(certificate.notBefore, query.notBeforeMin, query.notBeforeMax) &&
                within(certificate.notAfter, query.notAfterMin, query.notAfterMax) &&
                (query.isKeyHistory === undefined || binding.isKeyHistory === query.isKeyHistory) &&
                (query.archivedOnCa === undefined || binding.archivedOnCa === query.archivedOnCa) &&
                (query.template === undefined ||
                  certificate.template?.name === query.template ||
                  certificate.template?.oid === query.template)
            )
            .sort(compareItems(field, direction))
          const items = matches
            .filter((item) => isAfter(item, field, direction, query.after))
            .slice(0, query.limit)
          return Effect.succeed({ items, total: matches.length })
        })
      ),

    listExpiring: (query: Store.ExpiringQuery) =>
      Ref.get(state).pipe(
        Effect.map((s) => {
          const inScope = scopeFilter(query.scope)
          const matches = allItems(s)
            .filter(
              ({ binding, certificate }) =>
                within(certificate.notAfter, query.notAfterMin, query.notAfterMax) &&
                within(certificate.notBefore, undefined, query.notBeforeMax) &&
                inScope(binding.owner)
            )
            .sort(compareItems("notAfter", "asc"))
          const items = matches
            .filter((item) => isAfter(item, "notAfter", "asc", query.after))
            .slice(0, query.limit)
          return { items, total: matches.length }
        })
      ),

    find: (query: Store.FindQuery) =>
      Ref.get(state).pipe(
        Effect.map((s) => {
          const keyValue = (c: C.Certificate, kind: Store.LookupKind) =>
            kind === "serial" ? c.serial.hex : c[kind]
          const matches = (c: C.Certificate) => query.keys.some((key) => keyValue(c, key.kind) === key.value)
          const inScope = scopeFilter(query.scope)
          const found = allItems(s)
            .filter(({ binding, certificate }) => inScope(binding.owner) && matches(certificate))
            .sort(
              (a, b) =>
                Store.compareText(a.certificate.sha256, b.certificate.sha256) ||
                Store.compareText(a.binding.certificateId, b.binding.certificateId)
            )
          const { after } = query
          const page =
            after === undefined
              ? found
              : found.filter(
                  (item) =>
                    (Store.compareText(item.certificate.sha256, after.sha256) ||
                      Store.compareText(item.binding.certificateId, after.certificateId)) > 0
                )
          return { items: page.slice(0, query.limit), total: found.length }
        })
      ),

    getCertificate: (sha256) =>
      Ref.get(state).pipe(Effect.map((s) => Option.fromNullable(s.certificates.get(sha256))))
  })
})

/** A fresh, empty store per build. */
export const layer: Layer.Layer<Store.CertificateStore> = Layer.effect(Store.CertificateStore, make)
