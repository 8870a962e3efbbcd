/**
 * The CertificateParser port over @certory/x509: facts -> canonical domain certificates, and look-up
 * spellings -> canonical keys. Runs wherever WebCrypto exists (Node, workerd); never throws.
 */
import { Certificate as C, Errors, CertificateParser as Parser } from "@certory/domain"
import { type CertificateFacts, normalizeLookup, parseCertificates } from "@certory/x509"
import { Effect, Either, Layer, ParseResult, Schema } from "effect"

const decodeCertificate = Schema.decodeUnknownEither(C.Certificate)

/** Only the defined fields: the domain schemas use exact optional properties. */
const defined = <A extends Record<string, unknown>>(record: A): A =>
  Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as A

export const toCertificate = (facts: CertificateFacts): Either.Either<C.Certificate, string> => {
  const template = facts.extensions.microsoftTemplate
  return decodeCertificate(
    defined({
      sha256: facts.sha256,
      sha1: facts.sha1,
      spkiSha256: facts.spkiSha256,
      serial: facts.serial,
      notBefore: facts.notBefore,
      notAfter: facts.notAfter,
      subject: { rfc4514: facts.subject.rfc4514, rfc2253: facts.subject.rfc2253 },
      issuer: { rfc4514: facts.issuer.rfc4514, rfc2253: facts.issuer.rfc2253 },
      signatureAlgorithm: { oid: facts.signatureAlgorithm.oid, name: facts.signatureAlgorithm.name },
      publicKey: defined({
        algorithm: facts.publicKey.algorithm,
        size: facts.publicKey.size,
        curve: facts.publicKey.curve,
        spki: facts.publicKey.spki
      }),
      version: facts.version,
      template:
        template === undefined
          ? undefined
          : defined({
              oid: template.oid,
              majorVersion: template.majorVersion,
              minorVersion: template.minorVersion,
              name: template.name
            }),
      subjectAltNames: facts.extensions.subjectAltNames?.map(({ type, value }) => ({ type, value })),
      der: facts.der
    })
  ).pipe(Either.mapLeft((error) => ParseResult.TreeFormatter.formatErrorSync(error)))
}

export const make: Parser.CertificateParser["Type"] = {
  parse: (input) =>
    Effect.promise(() => parseCertificates(input)).pipe(
      Effect.flatMap((outcome) => {
        if (outcome._tag === "Failed") {
          const { message, block } = outcome.error
          return Effect.fail(
            new Errors.InvalidCertificate(block === undefined ? { message } : { message, block })
          )
        }
        return Effect.forEach(outcome.certificates, (facts, index) =>
          Either.match(toCertificate(facts), {
            // The parser accepted something the domain cannot hold (e.g. version 4): refuse it, with where.
            onLeft: (reason) =>
              Effect.fail(
                new Errors.InvalidCertificate({
                  message: `certificate ${index + 1}: ${reason}`,
                  block: index + 1
                })
              ),
            onRight: Effect.succeed
          })
        )
      })
    ),
  normalizeLookup: (text) => {
    const outcome = normalizeLookup(text)
    if (outcome._tag === "Failed") {
      return Effect.fail(new Errors.InvalidLookup({ input: text, message: outcome.error.message }))
    }
    // A SHA-256 spelling may equally be the SHA-256 of a public key (pinning): look for both.
    const keys = outcome.candidates.flatMap(
      ({ kind, value }): ReadonlyArray<Parser.LookupKey> =>
        kind === "sha256"
          ? [
              { kind, value },
              { kind: "spkiSha256", value }
            ]
          : [{ kind, value }]
    )
    return Effect.succeed(keys)
  }
}

export const layer: Layer.Layer<Parser.CertificateParser> = Layer.succeed(Parser.CertificateParser, make)
