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
import { Clock, Effect, Either, Option, Schema } from "effect"
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
import { type BindRequest, CertificateStore } from "../CertificateStore.js"
import { DomainConfig } from "../DomainConfig.js"
import { type CertificateLimitReached, InvalidCertificate, InvalidRequest, OwnerNotFound } from "../Errors.js"
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

/** The certificates of one input, or why the input is refused (the checks every import makes). */
const certificatesOf = (
  parsed: ReadonlyArray<Certificate>,
  single: boolean | undefined,
  max: number
): Effect.Effect<ReadonlyArray<Certificate>, InvalidCertificate | InvalidRequest> => {
  if (parsed.length === 0) return new InvalidCertificate({ message: "the input holds no certificate" })
  if (single === true && parsed.length > 1) {
    return new InvalidCertificate({
      message: `the input holds ${parsed.length} certificates; one is expected`
    })
  }
  if (parsed.length > max) {
    return new InvalidRequest({
      message: `the input holds ${parsed.length} certificates; one import takes at most ${max}`
    })
  }
  return Effect.succeed(parsed)
}

interface Accepted {
  readonly input: string | Uint8Array
  readonly certificates: ReadonlyArray<Certificate>
}

/**
 * Binds the certificates of `accepted` inputs to the owner in ONE store write, and reports each input's
 * certificates as importing the inputs one after the other would: created (the first time the batch
 * binds it), already bound (before, or by an earlier input of the batch), or a repeat within its input.
 * A certificate that several inputs hold keeps the submitted PEM of the first.
 */
const bindAll = (
  principal: Principal,
  owner: OwnerRef,
  attributes: BindingAttributes,
  accepted: ReadonlyArray<Accepted>,
  maxBindings: number | undefined
) =>
  Effect.gen(function* () {
    const store = yield* CertificateStore
    const items: Array<BindRequest["items"][number]> = []
    const queued = new Set<string>()
    for (const { input, certificates } of accepted) {
      const submittedPem = submittedPemOf(input, certificates)
      for (const certificate of certificates) {
        if (queued.has(certificate.sha256)) continue
        queued.add(certificate.sha256)
        items.push({
          certificate,
          attributes,
          certificateId: yield* newCertificateId,
          ...(submittedPem === undefined ? {} : { submittedPem })
        })
      }
    }
    const results = yield* store.bind({
      owner,
      items,
      boundBy: principal.id,
      boundAt: yield* Clock.currentTimeMillis,
      ...(maxBindings === undefined ? {} : { maxBindings })
    })
    const bySha256 = new Map(results.map((result) => [result.binding.sha256 as string, result]))
    const reported = new Set<string>()
    return accepted.map(({ certificates }) => {
      const seen = new Set<string>()
      return certificates.map((certificate): Imported => {
        const result = bySha256.get(certificate.sha256)!
        const outcome: Outcome = seen.has(certificate.sha256)
          ? "duplicateInInput"
          : result.created && !reported.has(certificate.sha256)
            ? "created"
            : "alreadyBound"
        seen.add(certificate.sha256)
        reported.add(certificate.sha256)
        return { outcome, binding: result.binding, certificate }
      })
    })
  })

/** The binding attributes from what the caller states and the surface; an IdP holds signing only. */
const attributesFor = (owner: OwnerRef, stated: typeof Attributes.Type | undefined, surface: Surface) =>
  Effect.gen(function* () {
    const attributes = BindingAttributes.make({ ...stated, origin: surface.origin, source: surface.source })
    if (owner._tag === "Idp" && attributes.use !== "signing") {
      return yield* new InvalidRequest({
        message: "external identity providers only hold signing certificates"
      })
    }
    return attributes
  })

const requireOwner = (owner: OwnerRef) =>
  Effect.flatMap(CertificateStore, (store) => store.getOwner(owner)).pipe(
    Effect.flatMap(
      Option.match({
        onNone: () => new OwnerNotFound({ owner: ownerKey(owner) }),
        onSome: () => Effect.void
      })
    )
  )

export const importCertificates = Effect.fn("importCertificates")(function* (
  principal: Principal,
  input: Input,
  surface: Surface = defaultSurface
) {
  yield* authorize(principal, input.owner, "write")
  const valid = yield* decodeInput(input)
  const attributes = yield* attributesFor(valid.owner, valid.attributes, surface)
  yield* requireOwner(valid.owner)
  const config = yield* DomainConfig
  const parser = yield* CertificateParser
  const certificates = yield* certificatesOf(
    yield* parser.parse(valid.input),
    valid.single,
    config.maxImportCertificates
  )
  const [imported] = yield* bindAll(
    principal,
    valid.owner,
    attributes,
    [{ input: valid.input, certificates }],
    valid.owner._tag === "Idp" ? config.maxIdpCertificates : undefined
  )
  return imported!
})

export const BatchInput = Schema.Struct({
  owner: Schema.typeSchema(OwnerRef),
  /** Each one as `Input.input`: PEM text, DER, base64 or a PKCS#7 bundle. */
  inputs: Schema.Array(Schema.Union(Schema.String, Schema.Uint8ArrayFromSelf)),
  attributes: optional(Attributes)
})
export type BatchInput = typeof BatchInput.Encoded

/** Why one input of a batch was refused; the others still go on. */
export type Refused = InvalidCertificate | InvalidRequest | CertificateLimitReached

const decodeBatch = decode(BatchInput)

const REFUSED: ReadonlySet<string> = new Set([
  "InvalidCertificate",
  "InvalidRequest",
  "CertificateLimitReached"
])
const isRefused = (error: { readonly _tag: string }): error is Refused => REFUSED.has(error._tag)

/** An input's refusal as a value; any other failure (the owner's, the store's) still fails the batch. */
const refuse = <A, E extends { readonly _tag: string }, R>(
  effect: Effect.Effect<A, E, R>
): Effect.Effect<Either.Either<A, Refused>, Exclude<E, Refused>, R> =>
  effect.pipe(
    Effect.map((value): Either.Either<A, Refused> => Either.right(value)),
    Effect.catchAll((error) =>
      isRefused(error) ? Effect.succeed(Either.left(error)) : Effect.fail(error as Exclude<E, Refused>)
    )
  )

/**
 * Imports several inputs for one owner (a directory of files): the same outcome, input by input, as
 * `importCertificates` called for each in turn (each input whole or not at all; one that does not parse,
 * holds nothing or too much is refused alone), but the certificates of the accepted inputs are bound in
 * as few store writes as `maxImportCertificates` allows instead of one per input. An IdP's inputs are
 * imported one by one, so the one that would pass its certificate limit is the one refused. A failure
 * about the owner (not found, not allowed) or the attributes (an IdP's `use` other than signing) fails
 * the whole batch.
 */
export const importCertificateBatch = Effect.fn("importCertificateBatch")(function* (
  principal: Principal,
  input: BatchInput,
  surface: Surface = defaultSurface
) {
  yield* authorize(principal, input.owner, "write")
  const valid = yield* decodeBatch(input)
  // Attributes the owner cannot take (an IdP holds signing only) are the batch's fault, not one input's.
  const attributes = yield* attributesFor(valid.owner, valid.attributes, surface)
  if (valid.owner._tag === "Idp") {
    return yield* Effect.forEach(valid.inputs, (one) =>
      refuse(
        importCertificates(
          principal,
          {
            owner: valid.owner,
            input: one,
            ...(valid.attributes === undefined ? {} : { attributes: valid.attributes })
          },
          surface
        )
      )
    )
  }
  yield* requireOwner(valid.owner)
  const config = yield* DomainConfig
  const parser = yield* CertificateParser
  const outcomes: Array<Either.Either<ReadonlyArray<Imported>, Refused>> = []
  // Accepted inputs wait here until the next one would take the write past maxImportCertificates.
  let pending: Array<{ readonly index: number } & Accepted> = []
  let pendingCertificates = 0
  const flush = Effect.gen(function* () {
    if (pending.length === 0) return
    const imported = yield* bindAll(principal, valid.owner, attributes, pending, undefined)
    pending.forEach(({ index }, k) => {
      outcomes[index] = Either.right(imported[k]!)
    })
    pending = []
    pendingCertificates = 0
  })
  for (const [index, one] of valid.inputs.entries()) {
    const certificates = yield* refuse(
      Effect.flatMap(parser.parse(one), (parsed) =>
        certificatesOf(parsed, undefined, config.maxImportCertificates)
      )
    )
    if (Either.isLeft(certificates)) {
      outcomes[index] = Either.left(certificates.left)
      continue
    }
    if (pendingCertificates + certificates.right.length > config.maxImportCertificates) yield* flush
    pending.push({ index, input: one, certificates: certificates.right })
    pendingCertificates += certificates.right.length
  }
  yield* flush
  return outcomes
})
