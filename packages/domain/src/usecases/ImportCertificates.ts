/**
 * Import certificates (PEM, DER or PKCS#7; one or many) and bind them to an owner, all or nothing.
 * Each certificate of the input is reported: newly bound, already bound to this owner, or a repeat of
 * an earlier one in the same input. External IdPs only hold signing certificates, at most
 * `DomainConfig.maxIdpCertificates` of them.
 */
import { Clock, Effect, Either, Option, ParseResult, Schema } from "effect"
import { authorize } from "../Authorization.js"
import { type Binding, BindingAttributes, type Certificate } from "../Certificate.js"
import { CertificateParser } from "../CertificateParser.js"
import { CertificateStore } from "../CertificateStore.js"
import { DomainConfig } from "../DomainConfig.js"
import { InvalidCertificate, InvalidRequest, OwnerNotFound } from "../Errors.js"
import { newCertificateId, type OwnerRef, ownerKey } from "../Ids.js"
import type { Principal } from "../Principal.js"

export interface Input {
  readonly owner: OwnerRef
  readonly input: string | Uint8Array
  /** Applied to new bindings; defaults as in BindingAttributes. */
  readonly attributes?: ConstructorParameters<typeof BindingAttributes>[0]
}

export type Outcome = "created" | "alreadyBound" | "duplicateInInput"

export interface Imported {
  readonly outcome: Outcome
  readonly binding: Binding
  readonly certificate: Certificate
}

const decodeAttributes = Schema.decodeUnknownEither(BindingAttributes)

export const importCertificates = Effect.fn("importCertificates")(function* (
  principal: Principal,
  input: Input
) {
  yield* authorize(principal, input.owner, "write")
  const decoded = decodeAttributes(input.attributes ?? {})
  if (Either.isLeft(decoded)) {
    return yield* new InvalidRequest({ message: ParseResult.TreeFormatter.formatErrorSync(decoded.left) })
  }
  const attributes = decoded.right
  const isIdp = input.owner._tag === "Idp"
  if (isIdp && attributes.use !== "signing") {
    return yield* new InvalidRequest({
      message: "external identity providers only hold signing certificates"
    })
  }
  const store = yield* CertificateStore
  if (Option.isNone(yield* store.getOwner(input.owner))) {
    return yield* new OwnerNotFound({ owner: ownerKey(input.owner) })
  }
  const parser = yield* CertificateParser
  const certificates = yield* parser.parse(input.input)
  if (certificates.length === 0) {
    return yield* new InvalidCertificate({ message: "the input holds no certificate" })
  }
  const unique = new Map<string, Certificate>()
  for (const certificate of certificates) {
    if (!unique.has(certificate.sha256)) unique.set(certificate.sha256, certificate)
  }
  const items = yield* Effect.forEach(unique.values(), (certificate) =>
    Effect.map(newCertificateId, (certificateId) => ({ certificate, attributes, certificateId }))
  )
  const config = yield* DomainConfig
  const results = yield* store.bind({
    owner: input.owner,
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
