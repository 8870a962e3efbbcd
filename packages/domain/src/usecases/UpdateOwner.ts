/**
 * Change what the inventory knows about an owner: display name, an IdP's metadata URL, enabling or
 * disabling an IdP. Only external IdPs can be disabled.
 */
import { Effect } from "effect"
import { authorize } from "../Authorization.js"
import { CertificateStore, type OwnerPatch } from "../CertificateStore.js"
import { InvalidRequest } from "../Errors.js"
import type { OwnerRef } from "../Ids.js"
import type { Principal } from "../Principal.js"

export const updateOwner = Effect.fn("updateOwner")(function* (
  principal: Principal,
  ref: OwnerRef,
  patch: OwnerPatch
) {
  yield* authorize(principal, ref, "administer")
  if (patch.enabled === false && ref._tag !== "Idp") {
    return yield* new InvalidRequest({ message: "only external identity providers can be disabled" })
  }
  const store = yield* CertificateStore
  return yield* store.updateOwner(ref, patch)
})
