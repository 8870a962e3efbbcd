/**
 * Create an external IdP together with its SAML configuration and its signing certificates, as IAM
 * Identity Center's CreateExternalIdPConfigurationForDirectory does (the HTTP route reads the SAML
 * metadata XML; the domain gets the configuration and each certificate's PEM or DER, never XML).
 *
 * The store has no single write for "an owner and its bindings", so everything that can be checked is
 * checked first (access, input, every certificate, the IdP limit), nothing written; then the owner is
 * created and its certificates bound in ONE `bind`. Should that bind fail (or the fiber be interrupted
 * between the two), the owner this call created is removed again, so a failed call leaves nothing. Until
 * the bind commits, readers may see the new IdP without certificates.
 */
import { Clock, Effect, Schema } from "effect"
import { authorize } from "../Authorization.js"
import { BindingAttributes, type Certificate } from "../Certificate.js"
import { CertificateParser } from "../CertificateParser.js"
import { CertificateStore } from "../CertificateStore.js"
import { DomainConfig } from "../DomainConfig.js"
import { CertificateLimitReached, InvalidCertificate, InvalidRequest } from "../Errors.js"
import { IdpRef, newCertificateId, ownerKey } from "../Ids.js"
import { DisplayName, decode, MetadataUrl, optional } from "../Inputs.js"
import { SamlConfig } from "../Owner.js"
import type { Principal } from "../Principal.js"
import { createOwner } from "./CreateOwner.js"
import { defaultSurface, type Surface, submittedPemOf } from "./ImportCertificates.js"

export const Input = Schema.Struct({
  ref: Schema.typeSchema(IdpRef),
  displayName: optional(DisplayName),
  metadataUrl: optional(MetadataUrl),
  saml: optional(SamlConfig),
  /** Default true. */
  enabled: optional(Schema.Boolean),
  /**
   * Each entry ONE certificate, PEM text or DER (e.g. the signing certificates of the IdP's metadata);
   * repeats count once. A PEM entry's text is kept with its binding (`ImportCertificates.submittedPemOf`).
   */
  certificates: Schema.Array(Schema.Union(Schema.String, Schema.Uint8ArrayFromSelf))
})
export type Input = typeof Input.Encoded

const decodeInput = decode(Input)

export const createIdp = Effect.fn("createIdp")(function* (
  principal: Principal,
  input: Input,
  surface: Surface = defaultSurface
) {
  yield* authorize(principal, input.ref, "administer")
  const valid = yield* decodeInput(input)
  const config = yield* DomainConfig
  if (valid.certificates.length > config.maxImportCertificates) {
    return yield* new InvalidRequest({
      message: `${valid.certificates.length} certificates; one call takes at most ${config.maxImportCertificates}`
    })
  }
  const parser = yield* CertificateParser
  const unique = new Map<string, { readonly certificate: Certificate; readonly submittedPem?: string }>()
  for (const [i, entry] of valid.certificates.entries()) {
    const parsed = yield* parser.parse(entry)
    const certificate = parsed[0]
    if (parsed.length !== 1 || certificate === undefined) {
      return yield* new InvalidCertificate({
        message: `certificate ${i + 1} holds ${parsed.length} certificates; each entry is one`,
        block: i + 1
      })
    }
    const submittedPem = submittedPemOf(entry, parsed)
    if (!unique.has(certificate.sha256))
      unique.set(
        certificate.sha256,
        submittedPem === undefined ? { certificate } : { certificate, submittedPem }
      )
  }
  if (unique.size > config.maxIdpCertificates) {
    return yield* new CertificateLimitReached({
      owner: ownerKey(valid.ref),
      limit: config.maxIdpCertificates
    })
  }
  const attributes = BindingAttributes.make({ origin: surface.origin, source: surface.source })
  const items = yield* Effect.forEach(unique.values(), (entry) =>
    Effect.map(newCertificateId, (certificateId) => ({ ...entry, attributes, certificateId }))
  )
  const store = yield* CertificateStore
  const boundAt = yield* Clock.currentTimeMillis
  return yield* Effect.uninterruptible(
    Effect.gen(function* () {
      const owner = yield* createOwner(principal, {
        ref: input.ref,
        ...(input.displayName === undefined ? {} : { displayName: input.displayName }),
        ...(input.metadataUrl === undefined ? {} : { metadataUrl: input.metadataUrl }),
        ...(input.saml === undefined ? {} : { saml: input.saml }),
        ...(input.enabled === undefined ? {} : { enabled: input.enabled })
      })
      const results =
        items.length === 0
          ? []
          : yield* store
              .bind({
                owner: valid.ref,
                items,
                boundBy: principal.id,
                boundAt,
                maxBindings: config.maxIdpCertificates
              })
              .pipe(
                // Compensation: the owner this call created goes again; whatever that removal meets
                // (the store removed meanwhile, another failure) is not the caller's error.
                Effect.onError(() => Effect.asVoid(Effect.exit(store.removeOwner(valid.ref))))
              )
      return {
        owner,
        bound: results.map((result, i) => ({ binding: result.binding, certificate: items[i]!.certificate }))
      }
    })
  )
})

/** What `createIdp` made: the owner, and each distinct certificate's binding in input order. */
export type Created = Effect.Effect.Success<ReturnType<typeof createIdp>>
