/**
 * The Huawei Cloud IAM Identity Center shapes for external IdP certificates. Its quirks live here and
 * nowhere else: `x509_Certificate_in_pem` with a capital C in responses but lowercase in the import
 * request, `serial_number` as a JSON number (lossy above 2^53, kept for compatibility) beside the exact
 * `serial_number_string`, names in Java's RFC 2253 form, epoch-millisecond dates.
 */
import { Schema } from "effect"
import type { OwnerCertificate } from "../Certificate.js"
import { certificatePem } from "./Pem.js"

export const IdpCertificate = Schema.Struct({
  certificate_id: Schema.String,
  issuer_name: Schema.String,
  not_after: Schema.Number,
  not_before: Schema.Number,
  /** Base64 DER SubjectPublicKeyInfo (Java's getPublicKey().getEncoded()). */
  public_key: Schema.String,
  serial_number: Schema.Number,
  serial_number_string: Schema.String,
  signature_algorithm_name: Schema.String,
  subject_name: Schema.String,
  version: Schema.Number.pipe(Schema.int()),
  x509_Certificate_in_pem: Schema.String
}).annotations({ identifier: "IdpCertificate" })
export type IdpCertificate = typeof IdpCertificate.Type

export const ListIdpCertificatesResponse = Schema.Struct({ idp_certificates: Schema.Array(IdpCertificate) })

export const ImportIdpCertificateRequest = Schema.Struct({
  x509_certificate_in_pem: Schema.String.pipe(Schema.minLength(1)),
  /** Only signing certificates are supported by the reference API. */
  certificate_use: Schema.Literal("SIGNING")
}).annotations({ identifier: "ImportIdpCertificateRequest" })

export const ImportIdpCertificateResponse = Schema.Struct({ certificate_id: Schema.String })

export const ErrorBody = Schema.Struct({
  error_code: Schema.String,
  error_msg: Schema.String,
  request_id: Schema.String,
  /** Only on 403. */
  encoded_authorization_message: Schema.optional(Schema.String)
}).annotations({ identifier: "HuaweiError" })
export type ErrorBody = typeof ErrorBody.Type

export const fromOwnerCertificate = ({ binding, certificate }: OwnerCertificate): IdpCertificate => ({
  certificate_id: binding.certificateId,
  issuer_name: certificate.issuer.rfc2253,
  not_after: certificate.notAfter,
  not_before: certificate.notBefore,
  public_key: certificate.publicKey.spki,
  // Nearest double, as Java's JSON encoders print a BigInteger coerced to a number.
  serial_number: Number(certificate.serial.decimal),
  serial_number_string: certificate.serial.decimal,
  signature_algorithm_name: certificate.signatureAlgorithm.name,
  subject_name: certificate.subject.rfc2253,
  version: certificate.version,
  x509_Certificate_in_pem: certificatePem(certificate.der)
})
