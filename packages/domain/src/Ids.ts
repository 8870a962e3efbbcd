/**
 * Identifiers and owner references. An owner is anything certificates are bound to: a MIM CM smart card
 * or software profile, an IAM Identity Center identity store, or one of its external identity providers.
 * Every owner has one canonical text form, used as the storage key and on the command line.
 */
import { Effect, Either, ParseResult, Schema } from "effect"

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** A GUID in canonical form: lowercase, hyphenated, no braces. Decoding accepts any case and braces. */
export const Guid = Schema.transform(
  Schema.String,
  Schema.String.pipe(Schema.pattern(GUID), Schema.brand("Guid")),
  {
    strict: true,
    decode: (s) =>
      s
        .trim()
        .replace(/^\{(.*)\}$/, "$1")
        .toLowerCase(),
    encode: (s) => s
  }
).annotations({ identifier: "Guid", description: "A GUID such as 5badfea3-de31-4837-99f9-8249515a5473" })
export type Guid = typeof Guid.Type

/** An identity store id such as `d-66f1a2b3b80` (Huawei IAM Identity Center). */
export const IdentityStoreId = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/),
  Schema.brand("IdentityStoreId")
).annotations({ identifier: "IdentityStoreId" })
export type IdentityStoreId = typeof IdentityStoreId.Type

/** An external identity provider id, unique within its identity store. */
export const IdpId = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/),
  Schema.brand("IdpId")
).annotations({ identifier: "IdpId" })
export type IdpId = typeof IdpId.Type

/**
 * The id clients see for one binding of a certificate to an owner (`certificate_id`): new ones are
 * UUIDs; the pattern also admits the 32-hex-digit ids of earlier versions.
 */
export const CertificateId = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/),
  Schema.brand("CertificateId")
).annotations({ identifier: "CertificateId" })
export type CertificateId = typeof CertificateId.Type

/** SHA-256 of a certificate's DER, 64 uppercase hex digits: the certificate's identity in the store. */
export const Sha256Hex = Schema.String.pipe(Schema.pattern(/^[0-9A-F]{64}$/), Schema.brand("Sha256Hex"))
export type Sha256Hex = typeof Sha256Hex.Type

export class SmartCardRef extends Schema.TaggedClass<SmartCardRef>()("SmartCard", { id: Guid }) {}
export class ProfileRef extends Schema.TaggedClass<ProfileRef>()("Profile", { id: Guid }) {}
export class IdentityStoreRef extends Schema.TaggedClass<IdentityStoreRef>()("IdentityStore", {
  id: IdentityStoreId
}) {}
export class IdpRef extends Schema.TaggedClass<IdpRef>()("Idp", {
  identityStoreId: IdentityStoreId,
  idpId: IdpId
}) {}

export const OwnerRef = Schema.Union(SmartCardRef, ProfileRef, IdentityStoreRef, IdpRef)
export type OwnerRef = typeof OwnerRef.Type
export type OwnerKind = OwnerRef["_tag"]

/** The canonical text form: `smartcard:<guid>`, `profile:<guid>`, `identity-store:<id>`, `idp:<store>/<idp>`. */
export const ownerKey = (ref: OwnerRef): string => {
  switch (ref._tag) {
    case "SmartCard":
      return `smartcard:${ref.id}`
    case "Profile":
      return `profile:${ref.id}`
    case "IdentityStore":
      return `identity-store:${ref.id}`
    case "Idp":
      return `idp:${ref.identityStoreId}/${ref.idpId}`
  }
}

const decodeGuid = Schema.decodeUnknownEither(Guid)
const decodeStore = Schema.decodeUnknownEither(IdentityStoreId)
const decodeIdp = Schema.decodeUnknownEither(IdpId)

const parseOwnerKey = (text: string): Either.Either<OwnerRef, string> => {
  const colon = text.indexOf(":")
  if (colon < 0) return Either.left(`"${text}" is not an owner reference (expected e.g. smartcard:<guid>)`)
  const kind = text.slice(0, colon)
  const rest = text.slice(colon + 1)
  const bad = (what: string) => Either.left(`"${text}": ${what}`)
  switch (kind) {
    case "smartcard":
    case "profile": {
      const id = decodeGuid(rest)
      if (Either.isLeft(id)) return bad("the id is not a GUID")
      return Either.right(
        kind === "smartcard" ? new SmartCardRef({ id: id.right }) : new ProfileRef({ id: id.right })
      )
    }
    case "identity-store": {
      const id = decodeStore(rest)
      return Either.isLeft(id)
        ? bad("invalid identity store id")
        : Either.right(new IdentityStoreRef({ id: id.right }))
    }
    case "idp": {
      const [store, idp, ...extra] = rest.split("/")
      const s = decodeStore(store)
      const i = decodeIdp(idp)
      if (extra.length > 0 || Either.isLeft(s) || Either.isLeft(i))
        return bad("expected idp:<identity_store_id>/<idp_id>")
      return Either.right(new IdpRef({ identityStoreId: s.right, idpId: i.right }))
    }
    default:
      return bad(`unknown owner kind "${kind}" (smartcard, profile, identity-store, idp)`)
  }
}

/** Owner reference from / to its canonical text form. */
export const OwnerRefFromString = Schema.transformOrFail(Schema.String, Schema.typeSchema(OwnerRef), {
  strict: true,
  decode: (text, _, ast) =>
    Either.match(parseOwnerKey(text.trim()), {
      onLeft: (message) => ParseResult.fail(new ParseResult.Type(ast, text, message)),
      onRight: ParseResult.succeed
    }),
  encode: (ref) => ParseResult.succeed(ownerKey(ref))
}).annotations({ identifier: "OwnerRefFromString" })

/** The identity store an owner belongs to, for delegated administration. */
export const identityStoreOf = (ref: OwnerRef): IdentityStoreId | undefined =>
  ref._tag === "IdentityStore" ? ref.id : ref._tag === "Idp" ? ref.identityStoreId : undefined

/**
 * A new binding id: a random (version 4) UUID from the platform's CSPRNG, as the Huawei reference shows
 * certificate ids. Not Effect's `Random`: its default generator is seeded with ~31 bits per process, so
 * two CLI runs or two Worker isolates could draw the same id.
 */
export const newCertificateId: Effect.Effect<CertificateId> = Effect.sync(() =>
  CertificateId.make(globalThis.crypto.randomUUID())
)
