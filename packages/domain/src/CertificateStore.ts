/**
 * The storage port: owners, certificates (once per DER) and their bindings. Adapters (memory, SQLite,
 * PostgreSQL, D1) implement it and all pass the one contract suite in @certory/testing. Storage
 * failures nobody can act on are defects; the errors below are the ones use-cases turn into answers.
 *
 * Every operation that writes is atomic: it happens whole or not at all.
 */
import type { Effect, Option } from "effect"
import { Context } from "effect"
import type { Binding, BindingAttributes, Certificate, OwnerCertificate } from "./Certificate.js"
import type {
  CertificateLimitReached,
  CertificateNotFound,
  LastValidCertificate,
  OwnerAlreadyExists,
  OwnerNotFound,
  WriteConflict
} from "./Errors.js"
import type { CertificateId, IdentityStoreId, OwnerKind, OwnerRef, Sha256Hex } from "./Ids.js"
import type { Owner, SamlConfig } from "./Owner.js"

export type SortField = "notAfter" | "notBefore" | "boundAt" | "subject"
export type SortDirection = "asc" | "desc"

/**
 * Text order every adapter must reproduce: Unicode code points, i.e. the byte order of UTF-8 (SQLite's
 * default BINARY collation, PostgreSQL `COLLATE "C"`). Locale collations differ between servers and
 * would make the keyset order, and so pagination, depend on where the data lives.
 */
export const compareText = (a: string, b: string): number => {
  const length = Math.min(a.length, b.length)
  for (let i = 0; i < length; i++) {
    const x = a.codePointAt(i)!
    const y = b.codePointAt(i)!
    if (x !== y) return x < y ? -1 : 1
    // A supplementary code point spans two UTF-16 units and is equal in both strings here.
    if (x > 0xffff) i++
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1
}

/**
 * How many code points of the RFC 4514 subject a listing sorts on. Every store indexes this prefix (a
 * PostgreSQL B-tree entry holds at most ~2.7 KB, and a real subject can run to tens of KB), so subjects
 * equal in their first 256 code points sort by certificate id.
 */
export const SUBJECT_SORT_LENGTH = 256

/**
 * The subject's sort key: its first SUBJECT_SORT_LENGTH code points, a lone surrogate replaced by
 * U+FFFD (what every driver stores for it).
 */
export const subjectSortKey = (subject: string): string => {
  let end = 0
  for (let n = 0; n < SUBJECT_SORT_LENGTH && end < subject.length; n++) {
    const c = subject.charCodeAt(end)
    end += c >= 0xd800 && c <= 0xdbff && end + 1 < subject.length ? 2 : 1
  }
  const prefix = subject.slice(0, end)
  return prefix.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD")
}

/** The value a listing sorts on: `subject` is the RFC 4514 subject's sort key, compared with `compareText`. */
export const sortValue = (item: OwnerCertificate, field: SortField): number | string => {
  switch (field) {
    case "notAfter":
      return item.certificate.notAfter
    case "notBefore":
      return item.certificate.notBefore
    case "boundAt":
      return item.binding.boundAt
    case "subject":
      return subjectSortKey(item.certificate.subject.rfc4514)
  }
}

/** Keyset position: the sort value of the last item seen and its certificate id (the tie-breaker). */
export interface After {
  readonly value: number | string
  readonly certificateId: CertificateId
}

/** One owner's certificates. Bounds are inclusive epoch milliseconds; absent means unbounded. */
export interface BindingQuery {
  readonly owner: OwnerRef
  readonly notBeforeMin?: number
  readonly notBeforeMax?: number
  readonly notAfterMin?: number
  readonly notAfterMax?: number
  readonly isKeyHistory?: boolean
  readonly archivedOnCa?: boolean
  /** Matches the template name or the template OID exactly. */
  readonly template?: string
  /** Items are ordered by the field, then by certificateId, both in `direction`. */
  readonly sort: { readonly field: SortField; readonly direction: SortDirection }
  readonly after?: After
  readonly limit: number
}

/**
 * Which owners a listing covers: an owner in `owners`, or one belonging to an identity store in
 * `identityStoreIds` (the identity-store owner itself and its IdPs). Both empty: no owner at all.
 * SQL adapters pass each list as ONE bound JSON parameter, so D1's 100 parameters per statement are no
 * limit; the size of one value is (D1: 2 MB, i.e. tens of thousands of owner keys). Lists are not
 * chunked: they come from a principal's grants, tens to a few thousand entries.
 */
export interface OwnerScope {
  readonly owners: ReadonlyArray<OwnerRef>
  readonly identityStoreIds: ReadonlyArray<IdentityStoreId>
}

/**
 * Certificates whose notAfter lies in [notAfterMin, notAfterMax], by notAfter then id, of the owners in
 * `scope` (all owners when absent).
 */
export interface ExpiringQuery {
  readonly notAfterMin?: number
  readonly notAfterMax: number
  /** Only certificates already valid at this instant (notBefore <= it), when given. */
  readonly notBeforeMax?: number
  /** Restricts items and total alike; absent means every owner. */
  readonly scope?: OwnerScope
  readonly after?: { readonly value: number; readonly certificateId: CertificateId }
  readonly limit: number
}

export interface OwnerQuery {
  /** Only owners in this scope (a non-administrator's readable owners); absent means every owner. */
  readonly scope?: OwnerScope
  readonly kind?: OwnerKind
  /** The identity store itself and its IdPs. */
  readonly identityStoreId?: IdentityStoreId
  /** Owners whose canonical key sorts after this one (keyset pagination by key). */
  readonly afterKey?: string
  readonly limit: number
}

/** `items` holds at most `limit` entries in order; `total` counts every match, ignoring `after`. */
export interface Slice<A> {
  readonly items: ReadonlyArray<A>
  readonly total: number
}

export type LookupKind = "sha1" | "sha256" | "spkiSha256" | "serial"

/**
 * The bindings of every certificate matching ANY of `keys` (exact, canonical uppercase hex; serial: the
 * canonical `serial.hex`), of the owners in `scope` (all owners when absent), ordered by the
 * certificate's SHA-256 then the binding's certificate id. A certificate no owner in scope holds is not
 * found at all.
 */
export interface FindQuery {
  readonly keys: ReadonlyArray<{ readonly kind: LookupKind; readonly value: string }>
  readonly scope?: OwnerScope
  readonly after?: { readonly sha256: Sha256Hex; readonly certificateId: CertificateId }
  readonly limit: number
}

export interface BindRequest {
  readonly owner: OwnerRef
  readonly items: ReadonlyArray<{
    readonly certificate: Certificate
    readonly attributes: BindingAttributes
    /**
     * Used when the binding is new; an existing binding keeps its id. Ids are unique across the store
     * (use-cases draw 128 random bits), so `certificateId` alone breaks ties in every listing.
     */
    readonly certificateId: CertificateId
    /** Kept with a NEW binding (an existing one keeps its own); a `SubmittedPem`. */
    readonly submittedPem?: string
  }>
  readonly boundBy: string
  readonly boundAt: number
  /**
   * Refuse the whole request when the owner would hold more bindings than this afterwards (bindings that
   * already exist do not count twice).
   */
  readonly maxBindings?: number
}

export interface BindResult {
  readonly binding: Binding
  /** False when the certificate was already bound to the owner (the existing binding is returned). */
  readonly created: boolean
}

export interface UnbindRequest {
  readonly owner: OwnerRef
  readonly certificateId: CertificateId
  /**
   * When given, refuse to remove a certificate valid throughout [from, until] (bounds inclusive) if no
   * other certificate of the owner is. Removing one that is not (expired, not yet valid, or expiring
   * before `until`) is always allowed.
   */
  readonly keepValid?: { readonly from: number; readonly until: number }
}

/** An absent field is kept; `displayName` / `metadataUrl` / `saml` present as `undefined` are cleared. */
export interface OwnerPatch {
  readonly displayName?: string | undefined
  readonly metadataUrl?: string | undefined
  /** Replaces the whole SAML configuration. */
  readonly saml?: SamlConfig | undefined
  readonly enabled?: boolean
}

export class CertificateStore extends Context.Tag("@certory/domain/CertificateStore")<
  CertificateStore,
  {
    /**
     * An IdP needs its identity store: the check and the insert are one atomic step (an IdP never
     * outlives its store), failing with OwnerNotFound naming the store.
     */
    readonly createOwner: (
      owner: Owner
    ) => Effect.Effect<void, OwnerAlreadyExists | OwnerNotFound | WriteConflict>
    readonly getOwner: (ref: OwnerRef) => Effect.Effect<Option.Option<Owner>>
    readonly updateOwner: (
      ref: OwnerRef,
      patch: OwnerPatch
    ) => Effect.Effect<Owner, OwnerNotFound | WriteConflict>
    readonly listOwners: (query: OwnerQuery) => Effect.Effect<Slice<Owner>>
    /**
     * Removes the owner and its bindings (certificates stay: other owners may hold them); an identity
     * store goes with its IdPs and their bindings, in the same atomic step.
     */
    readonly removeOwner: (ref: OwnerRef) => Effect.Effect<void, OwnerNotFound | WriteConflict>

    /**
     * Stores each certificate (once per SHA-256) and binds it to the owner; idempotent per (owner,
     * certificate). Results follow the items' order; an item repeating an earlier one (same SHA-256)
     * gets the same binding with `created: false`. All or nothing.
     */
    readonly bind: (
      request: BindRequest
    ) => Effect.Effect<ReadonlyArray<BindResult>, OwnerNotFound | CertificateLimitReached | WriteConflict>
    readonly unbind: (
      request: UnbindRequest
    ) => Effect.Effect<Binding, OwnerNotFound | CertificateNotFound | LastValidCertificate | WriteConflict>
    readonly getBinding: (
      owner: OwnerRef,
      certificateId: CertificateId
    ) => Effect.Effect<Option.Option<OwnerCertificate>>
    readonly listBindings: (query: BindingQuery) => Effect.Effect<Slice<OwnerCertificate>, OwnerNotFound>
    readonly listExpiring: (query: ExpiringQuery) => Effect.Effect<Slice<OwnerCertificate>>
    readonly find: (query: FindQuery) => Effect.Effect<Slice<OwnerCertificate>>
    readonly getCertificate: (sha256: Sha256Hex) => Effect.Effect<Option.Option<Certificate>>
  }
>() {}
