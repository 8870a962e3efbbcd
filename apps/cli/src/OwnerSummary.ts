/**
 * What the CLI tells about one owner: its certificate counts (through ListOwnerCertificates' totals,
 * one single-item page per filter), an identity store's IdPs, and an IdP's last metadata sync. Used by
 * `owners show` and by `owners remove` to say what it will remove.
 */
import {
  GetIdpSync,
  GetOwner,
  Ids,
  type JobStore,
  ListOwnerCertificates,
  ListOwners,
  type Owner,
  Page,
  type Principal
} from "@certory/domain"
import { Effect, type Option } from "effect"

export interface Counts {
  readonly total: number
  readonly valid: number
  readonly expired: number
  readonly notYetValid: number
  readonly keyHistory: number
  readonly archivedOnCa: number
}

export interface IdpCount {
  readonly owner: Ids.OwnerRef
  readonly bindings: number
}

export interface Summary {
  readonly owner: Owner.Owner
  readonly certificates: Counts
  /** An identity store's IdPs with their bindings; absent for other kinds. */
  readonly idps?: ReadonlyArray<IdpCount>
  /** An IdP's last metadata sync: None before the first; absent for other kinds. */
  readonly lastSync?: Option.Option<JobStore.IdpSync>
}

const totalOf = (principal: Principal.Principal, input: ListOwnerCertificates.Input) =>
  Effect.map(
    ListOwnerCertificates.listOwnerCertificates(principal, { ...input, limit: 1 }),
    (page) => page.total
  )

/** The counts of one owner's bindings. */
export const counts = Effect.fn("counts")(function* (principal: Principal.Principal, owner: Ids.OwnerRef) {
  const [total, valid, expired, notYetValid, keyHistory, archivedOnCa] = yield* Effect.all([
    totalOf(principal, { owner }),
    totalOf(principal, { owner, validity: "valid" }),
    totalOf(principal, { owner, validity: "expired" }),
    totalOf(principal, { owner, validity: "notYetValid" }),
    totalOf(principal, { owner, keyHistory: "only" }),
    totalOf(principal, { owner, archivedOnCa: true })
  ])
  return { total, valid, expired, notYetValid, keyHistory, archivedOnCa } satisfies Counts
})

/** An identity store's IdPs (every page) with the number of certificates bound to each. */
export const idpsOf = Effect.fn("idpsOf")(function* (
  principal: Principal.Principal,
  identityStoreId: Ids.IdentityStoreId
) {
  const idps = yield* Page.allItems((cursor) =>
    ListOwners.listOwners(principal, { kind: "Idp", identityStoreId, limit: 1000, ...Page.at(cursor) })
  )
  return yield* Effect.forEach(idps, ({ ref: owner }) =>
    Effect.map(totalOf(principal, { owner }), (bindings): IdpCount => ({ owner, bindings }))
  )
})

export const summary = Effect.fn("summary")(function* (principal: Principal.Principal, ref: Ids.OwnerRef) {
  const owner = yield* GetOwner.getOwner(principal, ref)
  const certificates = yield* counts(principal, ref)
  if (ref._tag === "IdentityStore") {
    const idps = yield* idpsOf(principal, ref.id)
    return { owner, certificates, idps } satisfies Summary
  }
  if (ref._tag === "Idp") {
    const lastSync = yield* GetIdpSync.getIdpSync(principal, ref)
    return { owner, certificates, lastSync } satisfies Summary
  }
  return { owner, certificates } satisfies Summary as Summary
})

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`

/**
 * What removing an owner takes with it, in words: its bindings, and for an identity store its IdPs and
 * theirs ("identity-store:x and its 1 certificate binding, and its 2 IdPs and their 5 certificate bindings").
 */
export const removal = Effect.fn("removal")(function* (principal: Principal.Principal, ref: Ids.OwnerRef) {
  yield* GetOwner.getOwner(principal, ref)
  const own = yield* totalOf(principal, { owner: ref })
  const head = `${Ids.ownerKey(ref)} and its ${count(own, "certificate binding")}`
  if (ref._tag !== "IdentityStore") return head
  const idps = yield* idpsOf(principal, ref.id)
  const theirs = idps.reduce((sum, idp) => sum + idp.bindings, 0)
  return `${head}, and its ${count(idps.length, "IdP")} and their ${count(theirs, "certificate binding")}`
})
