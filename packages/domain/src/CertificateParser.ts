/**
 * The parsing port: turns user input (PEM, DER, PKCS#7) into canonical certificates, and any spelling of
 * a fingerprint or serial into canonical look-up keys. The domain stays free of X.509 libraries; the
 * adapter over @certory/x509 lives in @certory/certificate-parser.
 */
import type { Effect } from "effect"
import { Context } from "effect"
import type { Certificate } from "./Certificate.js"
import type { LookupKind } from "./CertificateStore.js"
import type { InvalidCertificate, InvalidLookup } from "./Errors.js"

export interface LookupKey {
  readonly kind: LookupKind
  /** Canonical uppercase hex (serials: the canonical `serial.hex` form). */
  readonly value: string
}

export class CertificateParser extends Context.Tag("@certory/domain/CertificateParser")<
  CertificateParser,
  {
    /** Every certificate in the input, in order; fails whole if any block is not a certificate. */
    readonly parse: (
      input: string | Uint8Array
    ) => Effect.Effect<ReadonlyArray<Certificate>, InvalidCertificate>
    /** Candidate keys, most likely first (40 hex digits may be a SHA-1 or a 20-byte serial). */
    readonly normalizeLookup: (text: string) => Effect.Effect<ReadonlyArray<LookupKey>, InvalidLookup>
  }
>() {}
