/**
 * The canonical certificate: the facts derived from its DER (stored once per SHA-256), and its binding
 * to an owner (the inventory facts the certificate itself cannot carry). Every wire format is derived
 * from these two by a pure function.
 */
import { Schema } from "effect"
import { CertificateId, OwnerRef, Sha256Hex } from "./Ids.js"
import { Int32, Text } from "./Inputs.js"

const UpperHex = Schema.String.pipe(Schema.pattern(/^[0-9A-F]*$/))
/**
 * Epoch milliseconds (exact instants; certificates carry whole seconds, but we never round). Bounded to
 * years 0000-9999 (what UTCTime and GeneralizedTime can say), so every instant is a safe integer.
 */
export const EpochMillis = Schema.Int.pipe(
  Schema.between(-62_167_219_200_000, 253_402_300_799_999)
).annotations({
  identifier: "EpochMillis"
})

/** What a Windows template version is: an unsigned 32-bit integer. */
const Uint32 = Schema.Int.pipe(Schema.between(0, 4_294_967_295))

export class SerialNumber extends Schema.Class<SerialNumber>("SerialNumber")({
  /** Uppercase hex of the INTEGER content bytes, sign byte kept (what Windows shows). */
  windows: UpperHex,
  /** Canonical uppercase hex, no leading zeros, "-" when negative (what openssl prints). */
  hex: Schema.String.pipe(Schema.pattern(/^-?[0-9A-F]+$/)),
  /** Signed decimal. */
  decimal: Schema.String.pipe(Schema.pattern(/^-?[0-9]+$/))
}) {}

export class DistinguishedName extends Schema.Class<DistinguishedName>("DistinguishedName")({
  rfc4514: Schema.String,
  /** As Java's X500Principal.getName() prints it (the Huawei wire format). */
  rfc2253: Schema.String
}) {}

export class PublicKey extends Schema.Class<PublicKey>("PublicKey")({
  algorithm: Schema.String,
  /** Bits; a key no real certificate has (above 2^20 bits) is not reported. */
  size: Schema.optional(Schema.Int.pipe(Schema.between(0, 1_048_576))),
  curve: Schema.optional(Schema.String),
  /** DER SubjectPublicKeyInfo, base64. */
  spki: Schema.String
}) {}

export class Template extends Schema.Class<Template>("Template")({
  oid: Schema.optional(Schema.String),
  majorVersion: Schema.optional(Uint32),
  minorVersion: Schema.optional(Uint32),
  name: Schema.optional(Schema.String)
}) {}

/** Everything the inventory needs from the certificate itself. */
export class Certificate extends Schema.Class<Certificate>("Certificate")({
  sha256: Sha256Hex,
  sha1: UpperHex.pipe(Schema.length(40)),
  spkiSha256: UpperHex.pipe(Schema.length(64)),
  serial: SerialNumber,
  notBefore: EpochMillis,
  notAfter: EpochMillis,
  subject: DistinguishedName,
  issuer: DistinguishedName,
  signatureAlgorithm: Schema.Struct({ oid: Schema.String, name: Schema.String }),
  publicKey: PublicKey,
  /**
   * What the certificate says (TBSCertificate.version + 1): 1..3, or what @certory/x509 still reads above
   * that (it bounds the encoded value to 0..100, so 1..101) with a warning, stored as it is.
   */
  version: Schema.Number.pipe(Schema.int(), Schema.between(1, 101)),
  template: Schema.optional(Template),
  subjectAltNames: Schema.optional(
    Schema.Array(Schema.Struct({ type: Schema.String, value: Schema.String }))
  ),
  /** The DER encoding. */
  der: Schema.Uint8ArrayFromSelf
}) {}

export const Origin = Schema.Literal("native", "external")
export type Origin = typeof Origin.Type
/** What the owner uses the certificate for. Huawei only supports SIGNING for IdPs. */
export const CertificateUse = Schema.Literal("signing", "encryption", "authentication", "other")
export type CertificateUse = typeof CertificateUse.Type
/** How the binding was made. */
export const Source = Schema.Literal("upload", "metadata", "file")
export type Source = typeof Source.Type

/** What the caller states when binding a certificate (the rest comes from the certificate). */
export class BindingAttributes extends Schema.Class<BindingAttributes>("BindingAttributes")({
  isKeyHistory: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  archivedOnCa: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  /** MIM CM's CertificateType: values unpublished, kept exactly as given. */
  certificateType: Schema.optionalWith(Int32, { default: () => 1 }),
  origin: Schema.optionalWith(Origin, { default: () => "native" as const }),
  use: Schema.optionalWith(CertificateUse, { default: () => "signing" as const }),
  source: Schema.optionalWith(Source, { default: () => "upload" as const })
}) {}

/** The most UTF-16 units of submitted PEM text a binding keeps (a real certificate's PEM is a few KB). */
export const MAX_SUBMITTED_PEM = 65_536

/**
 * The exact text of ONE PEM certificate as the caller sent it (line ends, headers and comments
 * included), kept because some clients compare what they read back with what they sent. Never NUL or a
 * lone surrogate (no store could keep it unchanged).
 */
export const SubmittedPem = Text(MAX_SUBMITTED_PEM)
  .pipe(Schema.minLength(1))
  .annotations({ identifier: "SubmittedPem" })

/** One certificate bound to one owner. */
export class Binding extends Schema.Class<Binding>("Binding")({
  certificateId: CertificateId,
  owner: OwnerRef,
  sha256: Sha256Hex,
  isKeyHistory: Schema.Boolean,
  archivedOnCa: Schema.Boolean,
  certificateType: Int32,
  origin: Origin,
  use: CertificateUse,
  source: Source,
  /** The principal id that bound it. */
  boundBy: Schema.String,
  boundAt: EpochMillis,
  /** The PEM text the certificate was imported as, when it came as one PEM certificate (see ImportCertificates). */
  submittedPem: Schema.optional(SubmittedPem)
}) {}

/** A binding with its certificate: what listings return. */
export class OwnerCertificate extends Schema.Class<OwnerCertificate>("OwnerCertificate")({
  binding: Binding,
  certificate: Certificate
}) {}

/** Validity of a certificate at an instant (RFC 5280: both bounds inclusive). */
export type ValidityStatus = "valid" | "expired" | "notYetValid"
export const validityAt = (
  certificate: Pick<Certificate, "notBefore" | "notAfter">,
  now: number
): ValidityStatus =>
  now < certificate.notBefore ? "notYetValid" : now > certificate.notAfter ? "expired" : "valid"
