/**
 * Remove an owner and its bindings. Removing an identity store removes its IdPs first: an IdP cannot
 * outlive its store. Each removal is atomic; if interrupted, running it again finishes the job.
 */
import { Effect } from "effect"
import { authorize } from "../Authorization.js"
import { CertificateStore } from "../CertificateStore.js"
import type { OwnerRef } from "../Ids.js"
import type { Principal } from "../Principal.js"

export const removeOwner = Effect.fn("removeOwner")(function* (principal: Principal, ref: OwnerRef) {
  yield* authorize(principal, ref, "administer")
  const store = yield* CertificateStore
  if (ref._tag === "IdentityStore") {
    for (;;) {
      const idps = yield* store.listOwners({ kind: "Idp", identityStoreId: ref.id, limit: 1000 })
      if (idps.items.length === 0) break
      yield* Effect.forEach(idps.items, (idp) => store.removeOwner(idp.ref).pipe(Effect.ignore), {
        discard: true
      })
    }
  }
  yield* store.removeOwner(ref)
})
