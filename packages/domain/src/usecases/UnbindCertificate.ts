/**
 * Remove one certificate from an owner. An external IdP keeps at least one certificate that stays valid
 * for `DomainConfig.validityGraceMillis` from now, so SAML sign-in never breaks by accident (IAM
 * Identity Center refuses the same); one expiring within the grace period is no replacement.
 */
import { Clock, Effect } from "effect"
import { authorize } from "../Authorization.js"
import { CertificateStore } from "../CertificateStore.js"
import { DomainConfig } from "../DomainConfig.js"
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
  const config = yield* DomainConfig
  return yield* store.unbind({
    owner,
    certificateId,
    ...(owner._tag === "Idp" ? { keepValid: { from: now, until: now + config.validityGraceMillis } } : {})
  })
})
