/**
 * Path parameters every surface reads the same way: each decoded through the domain's id schema, a
 * malformed one is `BadPath` (each surface maps it to its own 400).
 */
import { Ids } from "@certory/domain"
import { Effect, Either, Schema } from "effect"
import type { Context } from "hono"
import type { Env } from "./Http.js"

export class BadPath {
  readonly _tag = "BadPath"
  constructor(readonly message: string) {}
}

const ID_RULE = "1-64 letters, digits, '-' or '_'"

/**
 * Owner refs are built from ids decoded by the schemas here: their constructors need not validate again
 * (a Schema class constructor re-validates through a parser it compiles per call).
 */
export const DECODED = { disableValidation: true } as const

const decodeGuid = Schema.decodeUnknownEither(Ids.Guid)
const decodeStore = Schema.decodeUnknownEither(Ids.IdentityStoreId)
const decodeIdp = Schema.decodeUnknownEither(Ids.IdpId)
const decodeCertificateId = Schema.decodeUnknownEither(Ids.CertificateId)

/** The GUID in the parameter `name`. */
export const guidOf = (c: Context<Env>, name: string): Effect.Effect<Ids.Guid, BadPath> =>
  Either.match(decodeGuid(c.req.param(name)), {
    onLeft: () => Effect.fail(new BadPath(`${name} must be a GUID`)),
    onRight: Effect.succeed
  })

/** `identity_store_id`. */
export const storeOf = (c: Context<Env>): Effect.Effect<Ids.IdentityStoreId, BadPath> =>
  Either.match(decodeStore(c.req.param("identity_store_id")), {
    onLeft: () => Effect.fail(new BadPath(`identity_store_id must be ${ID_RULE}`)),
    onRight: Effect.succeed
  })

/** `identity_store_id` and `idp_id`. */
export const idpOf = (c: Context<Env>): Effect.Effect<Ids.IdpRef, BadPath> => {
  const store = decodeStore(c.req.param("identity_store_id"))
  const idp = decodeIdp(c.req.param("idp_id"))
  return Either.isRight(store) && Either.isRight(idp)
    ? Effect.succeed(Ids.IdpRef.make({ identityStoreId: store.right, idpId: idp.right }, DECODED))
    : Effect.fail(new BadPath(`identity_store_id and idp_id must be ${ID_RULE}`))
}

/** `certificate_id`. */
export const certificateIdOf = (c: Context<Env>): Effect.Effect<Ids.CertificateId, BadPath> =>
  Either.match(decodeCertificateId(c.req.param("certificate_id")), {
    onLeft: () => Effect.fail(new BadPath(`certificate_id must be ${ID_RULE}`)),
    onRight: Effect.succeed
  })
