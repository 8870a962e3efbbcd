/**
 * The typed failures of `parseCertificates`. Plain objects (not Error instances) so they cross a
 * worker boundary or a JSON response unchanged; the message says what failed and where.
 */

export type X509ErrorCode =
  /** The input is larger than `maxInputBytes`; nothing was parsed. */
  | "InputTooLarge"
  /** Empty input, or no certificate in any recognised form (PEM blocks of other kinds were skipped). */
  | "NoCertificateFound"
  /** A PEM block without its END line, or with headers / content that is not base64. */
  | "InvalidPem"
  /** Unarmoured input that looked like base64 but did not decode. */
  | "InvalidBase64"
  /** DER that is not a well-formed X.509 certificate. */
  | "NotACertificate"
  /** A PKCS#7 / CMS container that is malformed, truncated, followed by bytes, or not a SignedData. */
  | "UnsupportedPkcs7"
  /** WebCrypto is not available (no `globalThis.crypto.subtle` and none passed in options). */
  | "CryptoUnavailable"
  /** A defect of this package (an exception it did not expect); the message carries it. */
  | "InternalError"

export interface X509Error {
  readonly code: X509ErrorCode
  readonly message: string
  /** 1-based number of the PEM block or bundle entry the error is about, when there is one. */
  readonly block?: number
}

export const x509Error = (code: X509ErrorCode, message: string, block?: number): X509Error =>
  block === undefined ? { code, message } : { code, message: `block ${block}: ${message}`, block }
