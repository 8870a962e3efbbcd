/**
 * One certificate as one owner holds it (the binding and the certificate), for callers who may read the
 * owner. The grant is checked before anything else, so a caller without access gets the same
 * AccessDenied whether or not the owner exists; an administrator learns which of the two is missing.
 */
import { Effect, Option, Schema } from "effect"
import { authorize } from "../Authorization.js"
import { CertificateStore } from "../CertificateStore.js"
import { CertificateNotFound, OwnerNotFound } from "../Errors.js"
import { CertificateId, OwnerRef, ownerKey } from "../Ids.js"
import { decode } from "../Inputs.js"
import type { Principal } from "../Principal.js"

export const Input = Schema.Struct({
  owner: Schema.typeSchema(OwnerRef),
  /** The binding's id (`certificate_id`). */
  certificateId: CertificateId
})
export type Input = typeof Input.Encoded

const decodeInput = decode(Input)

export const getOwnerCertificate = Effect.fn("getOwnerCertificate")(function* (
  principal: Principal,
  input: Input
) {
  yield* authorize(principal, input.owner, "read")
  const { owner, certificateId } = yield* decodeInput(input)
  const store = yield* CertificateStore
  const found = yield* store.getBinding(owner, certificateId)
  if (Option.isSome(found)) return found.value
  // Told apart only when absent: the common path is one store call.
  if (Option.isNone(yield* store.getOwner(owner))) return yield* new OwnerNotFound({ owner: ownerKey(owner) })
  return yield* new CertificateNotFound({ owner: ownerKey(owner), certificateId })
})
