/**
 * Import certificates (PEM, DER or PKCS#7; one or many) and bind them to an owner, all or nothing.
 * Each certificate of the input is reported: newly bound, already bound to this owner, or a repeat of
 * an earlier one in the same input. External IdPs only hold signing certificates, at most
 * `DomainConfig.maxIdpCertificates` of them; one import carries at most
 * `DomainConfig.maxImportCertificates`.
 *
 * The caller states the binding's attributes; where the binding came from (`origin`, `source`) is set
 * by the calling surface (the API route, the CLI, the sync job), never taken from the request.
 *
 * A new binding keeps the submitted text when the input is ONE PEM certificate (`submittedPemOf`), so a
 * client reads back exactly what it sent; an existing binding keeps what it was first imported with.
 */
import { Clock, Effect, Option, Schema } from "effect"
import { authorize } from "../Authorization.js"
import {
  type Binding,
  BindingAttributes,
  type Certificate,
  CertificateUse,
  MAX_SUBMITTED_PEM,
  type Origin,
  type Source,
  SubmittedPem
} from "../Certificate.js"
import { CertificateParser } from "../CertificateParser.js"
import { CertificateStore } from "../CertificateStore.js"
import { DomainConfig } from "../DomainConfig.js"
import { InvalidCertificate, InvalidRequest, OwnerNotFound } from "../Errors.js"
import { newCertificateId, OwnerRef, ownerKey } from "../Ids.js"
import { decode, Int32, optional } from "../Inputs.js"
import type { Principal } from "../Principal.js"

/** What the caller states about the new bindings; defaults as in BindingAttributes. */
export const Attributes = Schema.Struct({
  isKeyHistory: optional(Schema.Boolean),
  archivedOnCa: optional(Schema.Boolean),
  /** MIM CM's CertificateType (32-bit); default 1. */
  certificateType: optional(Int32),
  /** Default "signing"; external IdPs hold signing certificates only. */
  use: optional(CertificateUse)
})

export const Input = Schema.Struct({
  owner: Schema.typeSchema(OwnerRef),
  /** PEM text (any number of blocks), DER, base64 or a PKCS#7 bundle. */
  input: Schema.Union(Schema.String, Schema.Uint8ArrayFromSelf),
  attributes: optional(Attributes),
  /** Refuse (InvalidCertificate) an input holding more than one certificate. */
  single: optional(Schema.Boolean)
})
export type Input = typeof Input.Encoded

/** Set by the surface that calls the use-case. */
export interface Surface {
  readonly origin: Origin
  readonly source: Source
}

export const defaultSurface: Surface = { origin: "native", source: "upload" }

export type Outcome = "created" | "alreadyBound" | "duplicateInInput"

export interface Imported {
  readonly outcome: Outcome
  readonly binding: Binding
  readonly certificate: Certificate
}

const decodeInput = decode(Input)

const isSubmittedPem = Schema.is(SubmittedPem)

/**
 * The text a new binding keeps (`Binding.submittedPem`): the input itself when it is text holding
 * exactly one PEM block, labelled CERTIFICATE, that is the one certificate parsed, and fits
 * `SubmittedPem` (at most 64 Ki UTF-16 units, no NUL or lone surrogate). Anything else (DER, base64,
 * PKCS#7, several blocks, oversized or unstorable text) keeps nothing: the wire then shows the
 * canonical PEM.
 */
export const submittedPemOf = (
  input: string | Uint8Array,
  certificates: ReadonlyArray<Certificate>
): string | undefined =>
  typeof input === "string" &&
  certificates.length === 1 &&
  input.length <= MAX_SUBMITTED_PEM &&
  input.indexOf("-----BEGIN ") === input.lastIndexOf("-----BEGIN ") &&
  input.includes("-----BEGIN CERTIFICATE-----") &&
  isSubmittedPem(input)
    ? input
    : undefined

export const importCertificates = Effect.fn("importCertificates")(function* (
  principal: Principal,
  input: Input,
  surface: Surface = defaultSurface
) {
  yield* authorize(principal, input.owner, "write")
  const valid = yield* decodeInput(input)
  const attributes = BindingAttributes.make({
    ...valid.attributes,
    origin: surface.origin,
    source: surface.source
  })
  const isIdp = valid.owner._tag === "Idp"
  if (isIdp && attributes.use !== "signing") {
    return yield* new InvalidRequest({
      message: "external identity providers only hold signing certificates"
    })
  }
  const store = yield* CertificateStore
  if (Option.isNone(yield* store.getOwner(valid.owner))) {
    return yield* new OwnerNotFound({ owner: ownerKey(valid.owner) })
  }
  const config = yield* DomainConfig
  const parser = yield* CertificateParser
  const certificates = yield* parser.parse(valid.input)
  if (certificates.length === 0) {
    return yield* new InvalidCertificate({ message: "the input holds no certificate" })
  }
  if (valid.single === true && certificates.length > 1) {
    return yield* new InvalidCertificate({
      message: `the input holds ${certificates.length} certificates; one is expected`
    })
  }
  if (certificates.length > config.maxImportCertificates) {
    return yield* new InvalidRequest({
      message: `the input holds ${certificates.length} certificates; one import takes at most ${config.maxImportCertificates}`
    })
  }
  const unique = new Map<string, Certificate>()
  for (const certificate of certificates) {
    if (!unique.has(certificate.sha256)) unique.set(certificate.sha256, certificate)
  }
  const submittedPem = submittedPemOf(valid.input, certificates)
  const items = yield* Effect.forEach(unique.values(), (certificate) =>
    Effect.map(newCertificateId, (certificateId) => ({
      certificate,
      attributes,
      certificateId,
      ...(submittedPem === undefined ? {} : { submittedPem })
    }))
  )
  const results = yield* store.bind({
    owner: valid.owner,
    items,
    boundBy: principal.id,
    boundAt: yield* Clock.currentTimeMillis,
    ...(isIdp ? { maxBindings: config.maxIdpCertificates } : {})
  })
  const bySha256 = new Map(results.map((result) => [result.binding.sha256 as string, result]))
  const seen = new Set<string>()
  return certificates.map((certificate): Imported => {
    const result = bySha256.get(certificate.sha256)!
    const repeat = seen.has(certificate.sha256)
    seen.add(certificate.sha256)
    return {
      outcome: repeat ? "duplicateInInput" : result.created ? "created" : "alreadyBound",
      binding: result.binding,
      certificate
    }
  })
})
