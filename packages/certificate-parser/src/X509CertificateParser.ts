/**
 * The CertificateParser port over @certory/x509: facts -> canonical domain certificates, and look-up
 * spellings -> canonical keys. Runs wherever WebCrypto exists (Node, workerd); never throws. Input
 * that is not a certificate is `InvalidCertificate`; a failure of the parser itself is a defect.
 */
import { Certificate as C, Errors, CertificateParser as Parser } from "@certory/domain"
import {
  type CertificateFacts,
  normalizeLookup,
  type ParseOptions,
  parseCertificates,
  type X509ErrorCode
} from "@certory/x509"
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

/** A schema error tree on one line, and short: it becomes a message a CLI prints and an API returns. */
const oneLine = (text: string): string => {
  const flat = text.replace(/\s*\n\s*/g, " ")
  return flat.length > 800 ? `${flat.slice(0, 800)}... (truncated)` : flat
}

/**
 * x509 failures that are not about the input: a bug of the parser (`InternalError`) or a runtime
 * without a working WebCrypto (`CryptoUnavailable`). No caller can act on them, so they are defects.
 */
const DEFECTS: ReadonlySet<X509ErrorCode> = new Set(["InternalError", "CryptoUnavailable"])

/** The port over `parseCertificates` with these options (tests pass a crypto; the layer uses none). */
export const makeWith = (options: ParseOptions = {}): Parser.CertificateParser["Type"] => ({
  parse: (input) =>
    Effect.promise(() => parseCertificates(input, options)).pipe(
      Effect.flatMap((outcome) => {
        if (outcome._tag === "Failed") {
          const { code, message, block } = outcome.error
          if (DEFECTS.has(code)) return Effect.dieMessage(`@certory/x509 ${code}: ${message}`)
          return Effect.fail(
            new Errors.InvalidCertificate(block === undefined ? { message } : { message, block })
          )
        }
        return Effect.forEach(outcome.certificates, (facts, index) =>
          Either.match(toCertificate(facts), {
            // The parser accepted something the domain cannot hold (e.g. version 4): refuse it, saying
            // where it is in the input the way x509's own messages do ("block 2: PKCS#7 certificate 3").
            onLeft: (reason) => {
              const origin = outcome.origins[index]
              const where = origin?.where ?? `certificate ${index + 1}`
              const message = `${where}: ${oneLine(reason)}`
              return Effect.fail(
                new Errors.InvalidCertificate(
                  origin?.block === undefined ? { message } : { message, block: origin.block }
                )
              )
            },
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
})

export const make: Parser.CertificateParser["Type"] = makeWith()

export const layer: Layer.Layer<Parser.CertificateParser> = Layer.succeed(Parser.CertificateParser, make)
