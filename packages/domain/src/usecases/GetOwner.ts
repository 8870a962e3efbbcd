/**
 * One owner, for callers who may read it.
 */
import { Effect, Option } from "effect"
import { authorize } from "../Authorization.js"
import { CertificateStore } from "../CertificateStore.js"
import { OwnerNotFound } from "../Errors.js"
import { type OwnerRef, ownerKey } from "../Ids.js"
import type { Principal } from "../Principal.js"

export const getOwner = Effect.fn("getOwner")(function* (principal: Principal, ref: OwnerRef) {
  yield* authorize(principal, ref, "read")
  const store = yield* CertificateStore
  const owner = yield* store.getOwner(ref)
  if (Option.isNone(owner)) return yield* new OwnerNotFound({ owner: ownerKey(ref) })
  return owner.value
})
