/**
 * Change what the inventory knows about an owner: display name, an IdP's metadata URL, enabling or
 * disabling an IdP. Only external IdPs have a metadata URL or can be disabled.
 */
import { Effect, Schema } from "effect"
import { authorize } from "../Authorization.js"
import { CertificateStore } from "../CertificateStore.js"
import { InvalidRequest } from "../Errors.js"
import type { OwnerRef } from "../Ids.js"
import { DisplayName, decode, MetadataUrl, optional } from "../Inputs.js"
import type { Principal } from "../Principal.js"

/** An absent field is kept; a field present as `undefined` is cleared. */
export const Patch = Schema.Struct({
  displayName: optional(Schema.UndefinedOr(DisplayName)),
  metadataUrl: optional(Schema.UndefinedOr(MetadataUrl)),
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
  if (ref._tag !== "Idp" && (valid.enabled !== undefined || valid.metadataUrl !== undefined)) {
    return yield* new InvalidRequest({
      message: "only external identity providers have a metadata URL or can be disabled"
    })
  }
  const store = yield* CertificateStore
  return yield* store.updateOwner(ref, valid)
})
