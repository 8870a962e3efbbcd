/**
 * Create an owner. Administrators create any; a delegated administrator creates IdPs of its store. An
 * IdP needs its identity store to exist first, as in IAM Identity Center.
 */
import { Clock, Effect, Option } from "effect"
import { authorize } from "../Authorization.js"
import { CertificateStore } from "../CertificateStore.js"
import { OwnerNotFound } from "../Errors.js"
import { IdentityStoreRef, type OwnerRef, ownerKey } from "../Ids.js"
import { Owner } from "../Owner.js"
import type { Principal } from "../Principal.js"

export interface Input {
  readonly ref: OwnerRef
  readonly displayName?: string
  readonly metadataUrl?: string
  /** Default true. */
  readonly enabled?: boolean
}

export const createOwner = Effect.fn("createOwner")(function* (principal: Principal, input: Input) {
  yield* authorize(principal, input.ref, "administer")
  const store = yield* CertificateStore
  if (input.ref._tag === "Idp") {
    const parent = IdentityStoreRef.make({ id: input.ref.identityStoreId })
    if (Option.isNone(yield* store.getOwner(parent))) {
      return yield* new OwnerNotFound({ owner: ownerKey(parent) })
    }
  }
  const owner = Owner.make({
    ref: input.ref,
    enabled: input.enabled ?? true,
    createdAt: yield* Clock.currentTimeMillis,
    createdBy: principal.id,
    ...(input.displayName === undefined ? {} : { displayName: input.displayName }),
    ...(input.metadataUrl === undefined ? {} : { metadataUrl: input.metadataUrl })
  })
  yield* store.createOwner(owner)
  return owner
})
