/**
 * Create an owner. Administrators create any; a delegated administrator creates IdPs of its store. An
 * IdP needs its identity store to exist first, as in IAM Identity Center (the store checks and inserts
 * in one atomic step, so an IdP never outlives its store). `ensureOwner` is the idempotent form: it
 * returns the owner whether this call or a concurrent one created it.
 */
import { Clock, Effect, Option, Schema } from "effect"
import { authorize } from "../Authorization.js"
import { CertificateStore } from "../CertificateStore.js"
import { OwnerNotFound } from "../Errors.js"
import { OwnerRef, ownerKey } from "../Ids.js"
import { DisplayName, decode, MetadataUrl, optional } from "../Inputs.js"
import { Owner, SamlConfig } from "../Owner.js"
import type { Principal } from "../Principal.js"

/** Why a field is refused on an owner that is not an external IdP. */
export const IDP_ONLY =
  "only external identity providers have a metadata URL, a SAML configuration or can be disabled"

export const Input = Schema.Struct({
  ref: Schema.typeSchema(OwnerRef),
  displayName: optional(DisplayName),
  /** External IdPs only. */
  metadataUrl: optional(MetadataUrl),
  /** External IdPs only: entity ID, login URL, signed requests. */
  saml: optional(SamlConfig),
  /** External IdPs only; default true. */
  enabled: optional(Schema.Boolean)
}).pipe(
  Schema.filter(
    (input) =>
      input.ref._tag === "Idp" ||
      (input.metadataUrl === undefined && input.saml === undefined && input.enabled === undefined) ||
      IDP_ONLY
  )
)
export type Input = typeof Input.Encoded

const decodeInput = decode(Input)

const make = Effect.fn("makeOwner")(function* (principal: Principal, input: Input) {
  const valid = yield* decodeInput(input)
  yield* authorize(principal, valid.ref, "administer")
  return Owner.make({
    ref: valid.ref,
    enabled: valid.enabled ?? true,
    createdAt: yield* Clock.currentTimeMillis,
    createdBy: principal.id,
    ...(valid.displayName === undefined ? {} : { displayName: valid.displayName }),
    ...(valid.metadataUrl === undefined ? {} : { metadataUrl: valid.metadataUrl }),
    ...(valid.saml === undefined ? {} : { saml: valid.saml })
  })
})

export const createOwner = Effect.fn("createOwner")(function* (principal: Principal, input: Input) {
  const owner = yield* make(principal, input)
  const store = yield* CertificateStore
  yield* store.createOwner(owner)
  return owner
})

/**
 * Creates the owner unless it exists: `created` says which. Two concurrent calls both succeed, one of
 * them with `created: false` and the owner the other made.
 */
export const ensureOwner = Effect.fn("ensureOwner")(function* (principal: Principal, input: Input) {
  const owner = yield* make(principal, input)
  const store = yield* CertificateStore
  return yield* store.createOwner(owner).pipe(
    Effect.as({ owner, created: true }),
    Effect.catchTag("OwnerAlreadyExists", () =>
      store.getOwner(owner.ref).pipe(
        Effect.flatMap(
          Option.match({
            // Created and removed again between the two calls: report it gone.
            onNone: () => Effect.fail(new OwnerNotFound({ owner: ownerKey(owner.ref) })),
            onSome: (existing) => Effect.succeed({ owner: existing, created: false })
          })
        )
      )
    )
  )
})
