/**
 * Remove an owner and its bindings. Removing an identity store removes its IdPs and their bindings in
 * the same atomic step: an IdP cannot outlive its store.
 */
import { Effect } from "effect"
import { authorize } from "../Authorization.js"
import { CertificateStore } from "../CertificateStore.js"
import type { OwnerRef } from "../Ids.js"
import type { Principal } from "../Principal.js"

export const removeOwner = Effect.fn("removeOwner")(function* (principal: Principal, ref: OwnerRef) {
  yield* authorize(principal, ref, "administer")
  const store = yield* CertificateStore
  yield* store.removeOwner(ref)
})
