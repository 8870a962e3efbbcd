/**
 * The Huawei Cloud IAM Identity Center shapes for external IdPs and their certificates. Its quirks live
 * here and nowhere else: `x509_Certificate_in_pem` with a capital C in responses (the PEM text as it was
 * imported) but lowercase in the import request, `serial_number` as a JSON number (lossy above 2^53,
 * kept for compatibility) beside the exact `serial_number_string`, names in Java's RFC 2253 form,
 * epoch-millisecond dates, snake_case IdP configurations.
 */
import { Schema } from "effect"
import { type Certificate, type OwnerCertificate, validityAt } from "../Certificate.js"
import type { IdpRef } from "../Ids.js"
import type { Owner } from "../Owner.js"
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
  // The text the client imported, when it sent one PEM certificate (clients compare it with what they
  // sent); the canonical PEM otherwise.
  x509_Certificate_in_pem: binding.submittedPem ?? certificatePem(certificate.der)
})

/** `idp_saml_config` of a create request (either this with `idp_certificate`, or `idp_saml_metadata`). */
export const IdpSamlConfigRequest = Schema.Struct({
  entity_id: Schema.optional(Schema.String),
  login_url: Schema.optional(Schema.String),
  /** certory's addition (the reference sets it from metadata only); default false. */
  want_request_signed: Schema.optional(Schema.Boolean)
}).annotations({ identifier: "IdpSamlConfigRequest" })

export const CreateIdpRequest = Schema.Struct({
  /** The IdP's SAML 2.0 metadata XML. */
  idp_saml_metadata: Schema.optional(Schema.String),
  idp_saml_config: Schema.optional(IdpSamlConfigRequest),
  /** One PEM certificate, with `idp_saml_config`. */
  idp_certificate: Schema.optional(Schema.String)
}).annotations({ identifier: "CreateIdpRequest" })
export type CreateIdpRequest = typeof CreateIdpRequest.Type

/** What an IdP needs to know about the service provider (certory reports its configured values). */
export const SpSamlConfig = Schema.Struct({
  acs_url: Schema.String,
  issuer: Schema.String,
  metadata: Schema.String
}).annotations({ identifier: "SPSAMLConfig" })
export type SpSamlConfig = typeof SpSamlConfig.Type

export const CreateIdpResponse = Schema.Struct({
  idp_id: Schema.String,
  /** The first certificate's id; absent when the IdP was created without one. */
  idp_certificate_id: Schema.optional(Schema.String),
  idp_certificate_ids: Schema.Array(Schema.String),
  hws_sp_saml_config: SpSamlConfig
}).annotations({ identifier: "CreateIdpResponse" })

export const UpdateIdpRequest = Schema.Struct({
  entity_id: Schema.String,
  login_url: Schema.String,
  /** certory's addition; absent keeps the current value. */
  want_request_signed: Schema.optional(Schema.Boolean)
}).annotations({ identifier: "UpdateIdpRequest" })

export const IdpSamlConfig = Schema.Struct({
  entity_id: Schema.String,
  login_url: Schema.String,
  want_request_signed: Schema.Boolean
}).annotations({ identifier: "IdpSAMLConfig" })

/** A certificate's validity now: the reference documents `status` without its values; these are ours. */
export const CertificateStatus = Schema.Literal("VALID", "EXPIRED", "NOT_YET_VALID")
export type CertificateStatus = typeof CertificateStatus.Type

export const IdpCertificateBody = Schema.Struct({
  certificate_id: Schema.String,
  status: CertificateStatus
}).annotations({ identifier: "IdpCertificateBody" })

export const ExternalIdpConfiguration = Schema.Struct({
  idp_id: Schema.String,
  is_enabled: Schema.Boolean,
  /** Absent for an IdP created without one (e.g. by the CLI). */
  idp_saml_config: Schema.optional(IdpSamlConfig),
  idp_certificate_ids: Schema.Array(IdpCertificateBody)
}).annotations({ identifier: "ExternalIdpConfigurationDto" })
export type ExternalIdpConfiguration = typeof ExternalIdpConfiguration.Type

export const ListIdpsResponse = Schema.Struct({ associations: Schema.Array(ExternalIdpConfiguration) })

const statuses = { valid: "VALID", expired: "EXPIRED", notYetValid: "NOT_YET_VALID" } as const

export const certificateStatus = (
  certificate: Pick<Certificate, "notBefore" | "notAfter">,
  now: number
): CertificateStatus => statuses[validityAt(certificate, now)]

/** One IdP as the list shows it, its certificates' status taken at `now`. */
export const fromIdp = (
  owner: Owner & { readonly ref: IdpRef },
  certificates: ReadonlyArray<OwnerCertificate>,
  now: number
): ExternalIdpConfiguration => ({
  idp_id: owner.ref.idpId,
  is_enabled: owner.enabled,
  ...(owner.saml === undefined
    ? {}
    : {
        idp_saml_config: {
          entity_id: owner.saml.entityId,
          login_url: owner.saml.loginUrl,
          want_request_signed: owner.saml.wantRequestSigned
        }
      }),
  idp_certificate_ids: certificates.map(({ binding, certificate }) => ({
    certificate_id: binding.certificateId,
    status: certificateStatus(certificate, now)
  }))
})
