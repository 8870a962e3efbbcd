/**
 * The `--json` shapes: the domain schemas with instants as ISO strings, owners in their canonical text
 * form and DER as base64. Output is encoded through these schemas, never built by hand.
 */
import {
  Certificate as C,
  Ids,
  JobStore as J,
  Owner as O,
  Page,
  Token as T,
  TemplateEntry
} from "@certory/domain"
import { Schema } from "effect"

/** An instant as an ISO 8601 string (epoch milliseconds in the domain). */
export const Instant = Schema.transform(Schema.String, C.EpochMillis, {
  strict: true,
  decode: (text) => Date.parse(text),
  encode: (millis) => new Date(millis).toISOString()
})

export const Certificate = Schema.Struct({
  ...C.Certificate.fields,
  notBefore: Instant,
  notAfter: Instant,
  der: Schema.Uint8ArrayFromBase64
})

export const Binding = Schema.Struct({
  ...C.Binding.fields,
  owner: Ids.OwnerRefFromString,
  boundAt: Instant
})

export const OwnerCertificate = Schema.Struct({ binding: Binding, certificate: Certificate })

export const OwnerCertificatePage = Page.Page(OwnerCertificate)

export const Owner = Schema.Struct({
  ...O.Owner.fields,
  ref: Ids.OwnerRefFromString,
  createdAt: Instant
})

export const OwnerPage = Page.Page(Owner)

export const Outcome = Schema.Literal("created", "alreadyBound", "duplicateInInput")

/** One certificate of one input of `certory import`. */
export const Imported = Schema.Struct({
  input: Schema.String,
  outcome: Outcome,
  binding: Binding,
  certificate: Certificate
})

export const Found = Schema.Struct({
  matchedBy: Schema.Literal("sha1", "sha256", "spkiSha256", "serial"),
  certificate: Certificate,
  bindings: Schema.Array(Binding)
})

/** Encodes through `schema` and prints as indented JSON. */
export const stringify = <A, I>(schema: Schema.Schema<A, I>, value: A): string =>
  JSON.stringify(Schema.encodeSync(schema)(value), null, 2)

export const Template = Schema.Struct({
  ...TemplateEntry.TemplateEntry.fields,
  updatedAt: Instant
})

export const TemplateList = Schema.Array(Template)

const OptionalInstant = Schema.optional(Instant)

/** A token as listed: never its secret nor the secret's hash (the domain never holds them together). */
export const Token = Schema.Struct({
  ...T.ApiToken.fields,
  createdAt: Instant,
  expiresAt: OptionalInstant,
  lastUsedAt: OptionalInstant,
  revokedAt: OptionalInstant
})

export const TokenList = Schema.Array(Token)

/** `tokens create --json`: the only time the secret is printed. */
export const CreatedToken = Schema.Struct({ token: Token, secret: Schema.String })

export const IdpSync = Schema.Struct({
  ...J.IdpSync.fields,
  owner: Ids.OwnerRefFromString,
  at: Instant,
  nextAt: Instant
})

/** `owners show --json`: `idps` only for an identity store, `lastSync` (null before the first) only for an IdP. */
export const OwnerSummary = Schema.Struct({
  owner: Owner,
  certificates: Schema.Struct({
    total: Schema.Number,
    valid: Schema.Number,
    expired: Schema.Number,
    notYetValid: Schema.Number,
    keyHistory: Schema.Number,
    archivedOnCa: Schema.Number
  }),
  idps: Schema.optional(
    Schema.Array(Schema.Struct({ owner: Ids.OwnerRefFromString, bindings: Schema.Number }))
  ),
  lastSync: Schema.optional(Schema.OptionFromNullOr(IdpSync))
})
