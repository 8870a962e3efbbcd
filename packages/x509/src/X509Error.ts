/**
 * The typed failures of `parseCertificates`. Plain objects (not Error instances) so they cross a
 * worker boundary or a JSON response unchanged; the message says what failed and where, on one line,
 * in under 1 KB whatever the input (see `x509Error`).
 */
import { Limits } from "./Limits.js"

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
  /**
   * A certificate (or the input) beyond one of the documented caps (`Limits`: OID or arc length,
   * extensions per certificate, attributes per name, certificates per input); the message names it.
   */
  | "LimitExceeded"
  /**
   * A PKCS#7 / CMS container that is malformed, truncated, nested deeper than the cap, followed by
   * bytes, or not a SignedData.
   */
  | "UnsupportedPkcs7"
  /** WebCrypto is not available (no `globalThis.crypto.subtle` and none passed in options), or failed. */
  | "CryptoUnavailable"
  /** A defect of this package (an exception it did not expect); the message carries it. */
  | "InternalError"

export interface X509Error {
  readonly code: X509ErrorCode
  /** One line, printable, under 1 KB of UTF-8. */
  readonly message: string
  /** 1-based number of the PEM block the error is about (counting every BEGIN line), when there is one. */
  readonly block?: number
}

const SUFFIX = "... (truncated)"

const utf8Size = (c: number): number => (c < 0x80 ? 1 : c < 0x800 ? 2 : 3)

/**
 * A message on one printable line of at most `Limits.maxMessageBytes` UTF-8 bytes: control characters
 * (CR and LF included) become `\xNN`, lone surrogates U+FFFD, and a longer message is cut. Callers
 * quote only short prefixes of input-derived text; this is the backstop.
 */
export const capMessage = (message: string): string => {
  // Every UTF-16 unit is at least one UTF-8 byte: cut first, so the work never depends on the input.
  const s = (message.length > Limits.maxMessageBytes ? message.slice(0, Limits.maxMessageBytes + 1) : message)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what is escaped
    .replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`)
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\uFFFD")
  let bytes = 0
  let cut = -1
  for (let i = 0; i < s.length; i++) {
    // A surrogate pair is 4 bytes: 2 + 2 here, and never cut in the middle (below).
    bytes += utf8Size(s.charCodeAt(i)) - (s.charCodeAt(i) >= 0xd800 && s.charCodeAt(i) <= 0xdfff ? 1 : 0)
    if (cut < 0 && bytes > Limits.maxMessageBytes - SUFFIX.length) cut = i
    if (bytes > Limits.maxMessageBytes) {
      const at = s.charCodeAt(cut) >= 0xdc00 && s.charCodeAt(cut) <= 0xdfff ? cut - 1 : cut
      return s.slice(0, at) + SUFFIX
    }
  }
  return s
}

export const x509Error = (code: X509ErrorCode, message: string, block?: number): X509Error =>
  block === undefined
    ? { code, message: capMessage(message) }
    : { code, message: capMessage(`block ${block}: ${message}`), block }

/** A short, printable quote of input-derived text for a message: at most `max` characters. */
export const quote = (text: string, max = 64): string =>
  JSON.stringify(text.length > max ? `${text.slice(0, max)}...` : text)
