/**
 * Change what the inventory knows about an owner: display name, an IdP's metadata URL and SAML
 * configuration, enabling or disabling an IdP. Only external IdPs have those or can be disabled.
 */
import { Effect, Schema } from "effect"
import { authorize } from "../Authorization.js"
import { CertificateStore } from "../CertificateStore.js"
import { InvalidRequest } from "../Errors.js"
import type { OwnerRef } from "../Ids.js"
import { DisplayName, decode, MetadataUrl, optional } from "../Inputs.js"
import { SamlConfig } from "../Owner.js"
import type { Principal } from "../Principal.js"
import { IDP_ONLY } from "./CreateOwner.js"

/** An absent field is kept; a field present as `undefined` is cleared. */
export const Patch = Schema.Struct({
  displayName: optional(Schema.UndefinedOr(DisplayName)),
  metadataUrl: optional(Schema.UndefinedOr(MetadataUrl)),
  /** Replaces the whole SAML configuration (external IdPs only). */
  saml: optional(Schema.UndefinedOr(SamlConfig)),
  enabled: optional(Schema.Boolean)
})
export type Patch = typeof Patch.Encoded

const decodePatch = decode(Patch)

export const updateOwner = Effect.fn("updateOwner")(function* (
  principal: Principal,
  ref: OwnerRef,
  patch: Patch
) {
  yield* authorize(principal, ref, "administer")
  const valid = yield* decodePatch(patch)
  if (
    ref._tag !== "Idp" &&
    (valid.enabled !== undefined || valid.metadataUrl !== undefined || valid.saml !== undefined)
  ) {
    return yield* new InvalidRequest({ message: IDP_ONLY })
  }
  const store = yield* CertificateStore
  return yield* store.updateOwner(ref, valid)
})
