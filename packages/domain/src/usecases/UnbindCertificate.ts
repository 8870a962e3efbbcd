/**
 * Remove one certificate from an owner. An external IdP keeps at least one certificate valid now, so
 * SAML sign-in never breaks by accident (IAM Identity Center refuses the same).
 */
import { Clock, Effect } from "effect"
import { authorize } from "../Authorization.js"
import { CertificateStore } from "../CertificateStore.js"
import type { CertificateId, OwnerRef } from "../Ids.js"
import type { Principal } from "../Principal.js"

export const unbindCertificate = Effect.fn("unbindCertificate")(function* (
  principal: Principal,
  owner: OwnerRef,
  certificateId: CertificateId
) {
  yield* authorize(principal, owner, "write")
  const store = yield* CertificateStore
  const now = yield* Clock.currentTimeMillis
  return yield* store.unbind({
    owner,
    certificateId,
    ...(owner._tag === "Idp" ? { keepLastValidAt: now } : {})
  })
})
