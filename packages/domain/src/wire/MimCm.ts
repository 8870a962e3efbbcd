/**
 * The MIM Certificate Management REST API shapes: X509ClmCertificate (PascalCase keys, in the order of
 * Microsoft's example) and the ASP.NET Web API error body. The status quirks (204 for an empty list)
 * belong to the HTTP routes; the shapes and their derivation live here and nowhere else.
 */
import { Schema } from "effect"
import type { OwnerCertificate, Template } from "../Certificate.js"

export const X509ClmCertificate = Schema.Struct({
  IsKeyHistory: Schema.Boolean,
  ArchivedOnCa: Schema.Boolean,
  /** Values unpublished by Microsoft (every example shows 1): whatever was recorded. */
  CertificateType: Schema.Number.pipe(Schema.int()),
  TemplateCommonName: Schema.NullOr(Schema.String),
  /** Uppercase hex of the serial's content bytes, leading 00 sign byte kept, as Windows shows it. */
  SerialNumber: Schema.String,
  /** SHA-1 of the DER, 40 uppercase hex digits (the Windows thumbprint). */
  Thumbprint: Schema.String
}).annotations({ identifier: "X509ClmCertificate" })
export type X509ClmCertificate = typeof X509ClmCertificate.Type

export const X509ClmCertificateList = Schema.Array(X509ClmCertificate)

/** ASP.NET Web API's default error body; MIM CM documents no other. */
export const ErrorBody = Schema.Struct({ Message: Schema.String }).annotations({ identifier: "MimCmError" })
export type ErrorBody = typeof ErrorBody.Type

/**
 * The template's name when the certificate carries one (1.3.6.1.4.1.311.20.2); else the name an
 * administrator registered for its template OID (1.3.6.1.4.1.311.21.7) in the template catalog; else
 * the OID itself: the CA maps it to a name we cannot know, and the OID is what identifies the template
 * everywhere else in AD CS, so a client can still match on it; else null (no template).
 */
export const templateCommonName = (template: Template | undefined, catalogName?: string): string | null =>
  template?.name ?? (template?.oid === undefined ? undefined : catalogName) ?? template?.oid ?? null

/** `catalogName`: the catalog's name for the certificate's template OID (`Templates.resolveTemplateNames`). */
export const fromOwnerCertificate = (
  { binding, certificate }: OwnerCertificate,
  catalogName?: string
): X509ClmCertificate => ({
  IsKeyHistory: binding.isKeyHistory,
  ArchivedOnCa: binding.archivedOnCa,
  CertificateType: binding.certificateType,
  TemplateCommonName: templateCommonName(certificate.template, catalogName),
  SerialNumber: certificate.serial.windows,
  Thumbprint: certificate.sha1
})
