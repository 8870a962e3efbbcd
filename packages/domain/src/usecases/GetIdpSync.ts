/**
 * The last metadata sync of an external IdP (what the sync job recorded on it), for callers who may
 * read the IdP: what the native API and `certory owners show` display. None when it was never synced.
 */
import { Effect, Option } from "effect"
import { authorize } from "../Authorization.js"
import { CertificateStore } from "../CertificateStore.js"
import { OwnerNotFound } from "../Errors.js"
import { type OwnerRef, ownerKey } from "../Ids.js"
import { type IdpSync, JobStore } from "../JobStore.js"
import type { Principal } from "../Principal.js"

export const getIdpSync = Effect.fn("getIdpSync")(function* (principal: Principal, ref: OwnerRef) {
  yield* authorize(principal, ref, "read")
  const store = yield* CertificateStore
  if (Option.isNone(yield* store.getOwner(ref))) return yield* new OwnerNotFound({ owner: ownerKey(ref) })
  const jobs = yield* JobStore
  const sync: Option.Option<IdpSync> = yield* jobs.getIdpSync(ref)
  return sync
})
