/**
 * What every area of the contract suite shares: fresh store-wide ids, the per-test setup (the store, the
 * fixtures and short-hands to create owners, bind and list), and the reference order listings are
 * checked against. Nothing here touches node: (the suite also runs inside workerd).
 */
import {
  Certificate as C,
  Ids,
  Owner as O,
  type CertificateParser as Parser,
  CertificateStore as Store
} from "@certory/domain"
import type { Vitest } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { Corpus } from "../Fixtures.js"

/** The `it` of the suite's layer: every test gets the store and the fixtures. */
export type It = Vitest.MethodsNonLive<Store.CertificateStore | Corpus | Parser.CertificateParser>

/** What an area needs to register its cases. */
export interface Area {
  readonly it: It
  readonly setup: typeof setup
  /** Per-test timeout in milliseconds. */
  readonly timeout: number
}

export const encodeCertificate = Schema.encodeSync(C.Certificate)
export const encodeBinding = Schema.encodeSync(C.Binding)
export const encodeOwner = Schema.encodeSync(O.Owner)

export const uuid = (): string => globalThis.crypto.randomUUID()
/** Store-wide unique ids, as the use-cases make them. */
export const newCertificateId = (): Ids.CertificateId => Ids.CertificateId.make(uuid())
export const newSmartCard = (): Ids.OwnerRef =>
  Ids.SmartCardRef.make({ id: Schema.decodeSync(Ids.Guid)(uuid()) })
export const newProfile = (): Ids.OwnerRef => Ids.ProfileRef.make({ id: Schema.decodeSync(Ids.Guid)(uuid()) })
export const newIdentityStoreId = (): Ids.IdentityStoreId =>
  Ids.IdentityStoreId.make(`d-${uuid().replaceAll("-", "").slice(0, 10)}`)
export const newIdp = (store: Ids.IdentityStoreId = newIdentityStoreId()): Ids.IdpRef =>
  Ids.IdpRef.make({ identityStoreId: store, idpId: Ids.IdpId.make(uuid()) })

export const ownerOf = (ref: Ids.OwnerRef, createdAt = 1_700_000_000_000) =>
  O.Owner.make({ ref, enabled: true, createdAt, createdBy: "contract" })

export const attributes = (fields: ConstructorParameters<typeof C.BindingAttributes>[0] = {}) =>
  C.BindingAttributes.make(fields)

export const item = (certificate: C.Certificate, attrs: C.BindingAttributes = attributes()) => ({
  certificate,
  attributes: attrs,
  certificateId: newCertificateId()
})

export const byText = (a: string, b: string) => Store.compareText(a, b)

/** The reference order of a listing: (sort value, certificateId), both in the direction. */
export const referenceOrder =
  (field: Store.SortField, direction: Store.SortDirection) =>
  (a: C.OwnerCertificate, b: C.OwnerCertificate) => {
    const x = Store.sortValue(a, field)
    const y = Store.sortValue(b, field)
    const order =
      (typeof x === "number" && typeof y === "number" ? x - y : byText(String(x), String(y))) ||
      byText(a.binding.certificateId, b.binding.certificateId)
    return direction === "asc" ? order : -order
  }

export const ids = (items: ReadonlyArray<C.OwnerCertificate>) => items.map((i) => i.binding.certificateId)

/** The store, the fixtures, and short-hands every test starts from. */
export const setup = Effect.gen(function* () {
  const store = yield* Store.CertificateStore
  const corpus = yield* Corpus
  /** The identity store of an IdP, created if absent (an IdP needs its store). */
  const parentOf = (ref: Ids.OwnerRef) =>
    ref._tag === "Idp"
      ? store
          .createOwner(ownerOf(Ids.IdentityStoreRef.make({ id: ref.identityStoreId })))
          .pipe(Effect.catchTag("OwnerAlreadyExists", () => Effect.void))
      : Effect.void
  const owner = <R extends Ids.OwnerRef>(ref: R = newSmartCard() as R) =>
    Effect.zipRight(parentOf(ref), store.createOwner(ownerOf(ref))).pipe(Effect.as(ref))
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
  /**
   * Every binding of the certificates matching one key, grouped by certificate in SHA-256 order (what
   * a look-up shows), by one query with the largest limit.
   */
  const findAll = (kind: Store.LookupKind, value: string, scope?: Store.OwnerScope) =>
    store.find({ keys: [{ kind, value }], limit: 1000, ...(scope === undefined ? {} : { scope }) }).pipe(
      Effect.map(({ items }) => {
        const groups: Array<{ certificate: C.Certificate; bindings: Array<C.Binding> }> = []
        for (const { certificate, binding } of items) {
          const last = groups.at(-1)
          if (last !== undefined && last.certificate.sha256 === certificate.sha256)
            last.bindings.push(binding)
          else groups.push({ certificate, bindings: [binding] })
        }
        return groups
      })
    )
  return { store, corpus, owner, parentOf, bind, listAll, findAll }
})
