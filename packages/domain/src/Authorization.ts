/**
 * Who may do what to which owner: pure functions over the principal's grants, so HTTP, CLI, worker and
 * embedders enforce the same rules. Use-cases authorize BEFORE looking the owner up, so a denied caller
 * learns nothing about whether the owner exists: the AccessDenied is the same either way.
 */
import { Effect } from "effect"
import type { OwnerScope } from "./CertificateStore.js"
import { AccessDenied } from "./Errors.js"
import { type IdentityStoreId, identityStoreOf, type OwnerRef, ownerKey } from "./Ids.js"
import type { Grant, Principal } from "./Principal.js"

/** read: see the owner and its certificates; write: import and unbind; administer: create, update, remove. */
export type Action = "read" | "write" | "administer"

const lists = (owners: ReadonlyArray<OwnerRef>, ref: OwnerRef): boolean => {
  const key = ownerKey(ref)
  return owners.some((owner) => ownerKey(owner) === key)
}

export const grantAllows = (grant: Grant, ref: OwnerRef, action: Action): boolean => {
  switch (grant._tag) {
    case "Administrator":
      return true
    case "DelegatedAdministrator":
      // The store's own record is the organization's: a delegate reads and writes it, and creates,
      // updates and removes the store's IdPs, but does not create or remove the store.
      return identityStoreOf(ref) === grant.identityStoreId && (action !== "administer" || ref._tag === "Idp")
    case "OwnerOperator":
      return action !== "administer" && lists(grant.owners, ref)
    case "OwnerReader":
      return action === "read" && lists(grant.owners, ref)
  }
}

export const allows = (principal: Principal, ref: OwnerRef, action: Action): boolean =>
  principal.grants.some((grant) => grantAllows(grant, ref, action))

export const isAdministrator = (principal: Principal): boolean =>
  principal.grants.some((grant) => grant._tag === "Administrator")

/** Fails with the same AccessDenied whether or not the owner exists. */
export const authorize = (
  principal: Principal,
  ref: OwnerRef,
  action: Action
): Effect.Effect<void, AccessDenied> =>
  allows(principal, ref, action)
    ? Effect.void
    : Effect.fail(new AccessDenied({ message: `${principal.id} may not ${action} ${ownerKey(ref)}` }))

/**
 * The owners a non-administrator may read, as a store scope; it must match `allows(principal, owner,
 * "read")` exactly: it lives beside `grantAllows` so the two change together (the
 * authorization matrix checks both paths).
 */
export const readScope = (principal: Principal): OwnerScope => {
  const owners: Array<OwnerRef> = []
  const identityStoreIds: Array<IdentityStoreId> = []
  for (const grant of principal.grants) {
    switch (grant._tag) {
      case "Administrator":
        break
      case "DelegatedAdministrator":
        identityStoreIds.push(grant.identityStoreId)
        break
      case "OwnerOperator":
      case "OwnerReader":
        owners.push(...grant.owners)
        break
    }
  }
  return { owners, identityStoreIds }
}
