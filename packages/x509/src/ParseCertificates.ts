/**
 * The entry point: any input a user may paste or upload (PEM with text around it, DER, bare base64,
 * PKCS#7 / CMS certs-only bundles) becomes the facts of every certificate in it, in order, or one
 * typed error. Never throws; the work is linear in the input, which is bounded by `maxInputBytes`.
 */
import { decodeBase64 } from "./Base64.js"
import type { CertificateFacts } from "./CertificateFacts.js"
import { type Digest, readCertificate } from "./CertificateReader.js"
import { DerError, hex, readTlv, Tag, TagClass, type Tlv } from "./Der.js"
import { looksLikeContentInfo, readPkcs7Bundle } from "./Pkcs7Bundle.js"
import { type X509Error, x509Error } from "./X509Error.js"

export interface ParseOptions {
  /** Inputs larger than this are refused before any parsing. Default 4 MiB. */
  readonly maxInputBytes?: number
  /** WebCrypto to hash with; defaults to `globalThis.crypto`. */
  readonly crypto?: Crypto
}

export type ParseOutcome =
  | { readonly _tag: "Parsed"; readonly certificates: ReadonlyArray<CertificateFacts> }
  | { readonly _tag: "Failed"; readonly error: X509Error }

export const DEFAULT_MAX_INPUT_BYTES = 4 * 1024 * 1024

const CERTIFICATE_LABELS = new Set(["CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE"])
const PKCS7_LABELS = new Set(["PKCS7", "PKCS #7 SIGNED DATA", "CMS"])

/** Thrown inside this module only, to stop at the first failure with its typed error. */
class Stop {
  constructor(readonly error: X509Error) {}
}

const failed = (error: X509Error): ParseOutcome => ({ _tag: "Failed", error })

export const parseCertificates = async (
  input: string | Uint8Array,
  options: ParseOptions = {}
): Promise<ParseOutcome> => {
  try {
    return await parse(input, options)
  } catch (e) {
    if (e instanceof Stop) return failed(e.error)
    // A bug of ours must still not escape as an exception: callers rely on the outcome type.
    return failed(x509Error("InternalError", `unexpected parser failure: ${String(e)}`))
  }
}

const parse = async (input: string | Uint8Array, options: ParseOptions): Promise<ParseOutcome> => {
  const max = options.maxInputBytes ?? DEFAULT_MAX_INPUT_BYTES
  const size = typeof input === "string" ? utf8Length(input, max) : input.length
  if (size > max) {
    return failed(
      x509Error("InputTooLarge", `input of at least ${size} bytes exceeds the limit of ${max} bytes`)
    )
  }
  const subtle = (options.crypto ?? globalThis.crypto)?.subtle
  if (subtle === undefined) {
    return failed(
      x509Error(
        "CryptoUnavailable",
        "no WebCrypto: pass options.crypto or run where globalThis.crypto exists"
      )
    )
  }
  const digest: Digest = async (algorithm, data) =>
    hex(new Uint8Array(await subtle.digest(algorithm, data as Uint8Array<ArrayBuffer>)))

  if (size === 0) return failed(x509Error("NoCertificateFound", "empty input"))

  let text: string | undefined
  if (typeof input === "string") text = input
  else if (input[0] !== 0x30 || containsAscii(input, "-----BEGIN ")) text = latin1(input)

  const certificates: CertificateFacts[] = []
  let empty: string | undefined
  if (text === undefined) {
    empty = await fromDer(input as Uint8Array, undefined, digest, certificates)
  } else if (text.includes("-----BEGIN ")) {
    const skipped = await fromPem(text, digest, certificates)
    if (certificates.length === 0) {
      return failed(
        x509Error(
          "NoCertificateFound",
          skipped.length > 0
            ? `no certificate: the PEM blocks found are ${skipped.join(", ")}`
            : "no certificate in the PEM blocks found"
        )
      )
    }
  } else {
    // A byte-order mark (UTF-16 as a string, UTF-8 bytes read as Latin-1) is not part of the base64.
    const trimmed = text.replace(/^(?:\uFEFF|\u00EF\u00BB\u00BF)/, "").trim()
    if (trimmed === "") return failed(x509Error("NoCertificateFound", "input is only whitespace"))
    if (!/^[A-Za-z0-9+/=_\-\s]+$/.test(trimmed)) {
      return failed(x509Error("NoCertificateFound", "input is neither PEM, DER nor base64"))
    }
    const decoded = decodeBase64(trimmed)
    if (!decoded.ok) return failed(x509Error("InvalidBase64", decoded.reason))
    if (decoded.bytes[0] !== 0x30) {
      return failed(x509Error("NotACertificate", "base64 input does not decode to DER (no SEQUENCE)"))
    }
    empty = await fromDer(decoded.bytes, undefined, digest, certificates)
  }
  if (certificates.length === 0) {
    return failed(x509Error("NoCertificateFound", empty ?? "no certificate in the input"))
  }
  return { _tag: "Parsed", certificates }
}

/** UTF-8 length of a string, stopping early once it is known to exceed `max`. */
const utf8Length = (s: string, max: number): number => {
  if (s.length > max) return s.length
  let n = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdbff ? 2 : 3
  }
  return n
}

const latin1 = (bytes: Uint8Array): string => {
  let s = ""
  for (let i = 0; i < bytes.length; i += 8192) {
    s += String.fromCharCode(...bytes.subarray(i, i + 8192))
  }
  return s
}

const containsAscii = (bytes: Uint8Array, needle: string): boolean => {
  const first = needle.charCodeAt(0)
  outer: for (
    let i = bytes.indexOf(first);
    i >= 0 && i + needle.length <= bytes.length;
    i = bytes.indexOf(first, i + 1)
  ) {
    for (let j = 1; j < needle.length; j++) if (bytes[i + j] !== needle.charCodeAt(j)) continue outer
    return true
  }
  return false
}

const BEGIN_RE = /-----BEGIN ([^\r\n-]{1,64})-----/g

/**
 * Reads every PEM block in order; returns the blocks skipped as not certificates (their labels, quoted),
 * including PKCS#7 blocks that hold no certificate: like a CRL block, they are not an error by themselves.
 */
const fromPem = async (text: string, digest: Digest, out: CertificateFacts[]): Promise<string[]> => {
  const skipped: string[] = []
  BEGIN_RE.lastIndex = 0
  let block = 0
  for (let m = BEGIN_RE.exec(text); m !== null; m = BEGIN_RE.exec(text)) {
    block++
    const label = m[1]!
    const endMarker = `-----END ${label}-----`
    const bodyStart = m.index + m[0].length
    const endAt = text.indexOf(endMarker, bodyStart)
    if (endAt < 0)
      throw new Stop(x509Error("InvalidPem", `"-----BEGIN ${label}-----" without "${endMarker}"`, block))
    BEGIN_RE.lastIndex = endAt + endMarker.length
    const isCert = CERTIFICATE_LABELS.has(label)
    if (!isCert && !PKCS7_LABELS.has(label)) {
      skipped.push(JSON.stringify(label))
      continue
    }
    const body = stripPemHeaders(text.slice(bodyStart, endAt))
    const decoded = decodeBase64(body)
    if (!decoded.ok) throw new Stop(x509Error("InvalidPem", `${label}: ${decoded.reason}`, block))
    if (decoded.bytes.length === 0) throw new Stop(x509Error("InvalidPem", `${label}: empty block`, block))
    if (isCert) {
      // TRUSTED CERTIFICATE is OpenSSL's certificate followed by trust settings: read the first object only.
      const tlv = readOrStop(decoded.bytes, block, "not a certificate")
      const facts = await certificateOrStop(tlv, digest, block)
      if (tlv.end < decoded.bytes.length && label !== "TRUSTED CERTIFICATE") {
        ;(facts.warnings as string[]).push(
          `PEM block: ${decoded.bytes.length - tlv.end} bytes after the certificate ignored`
        )
      }
      out.push(facts)
    } else {
      const empty = await fromDer(decoded.bytes, block, digest, out)
      if (empty !== undefined) skipped.push(`${JSON.stringify(label)} (block ${block}: ${empty})`)
    }
  }
  return skipped
}

/** RFC 1421 encapsulated headers ("Proc-Type: ...") end at the first empty line. */
const stripPemHeaders = (body: string): string => {
  if (!body.includes(":")) return body
  const lines = body.split(/\r?\n/)
  let i = 0
  while (i < lines.length && lines[i]!.trim() === "") i++
  if (i < lines.length && lines[i]!.includes(":")) {
    while (i < lines.length && lines[i]!.trim() !== "") i++
  }
  return lines.slice(i).join("\n")
}

const readOrStop = (bytes: Uint8Array, block: number | undefined, what: string): Tlv => {
  try {
    return readTlv(bytes, 0, bytes.length, "Certificate")
  } catch (e) {
    if (e instanceof DerError) throw new Stop(x509Error("NotACertificate", `${what}: ${e.message}`, block))
    throw e
  }
}

const certificateOrStop = async (tlv: Tlv, digest: Digest, block: number | undefined, entry?: number) => {
  try {
    return await readCertificate(tlv, digest)
  } catch (e) {
    if (e instanceof DerError) {
      const where = entry === undefined ? "" : `PKCS#7 certificate ${entry}: `
      throw new Stop(x509Error("NotACertificate", `${where}not a certificate: ${e.message}`, block))
    }
    throw e
  }
}

/**
 * A PKCS#7 / CMS ContentInfo (DER or BER), or a DER certificate possibly followed by more DER
 * certificates. Returns why nothing was read when nothing was (an empty bundle), else undefined.
 */
const fromDer = async (
  bytes: Uint8Array,
  block: number | undefined,
  digest: Digest,
  out: CertificateFacts[]
): Promise<string | undefined> => {
  if (looksLikeContentInfo(bytes)) return fromPkcs7(bytes, block, digest, out)
  const first = readOrStop(bytes, block, "not a certificate")
  let facts = await certificateOrStop(first, digest, block)
  out.push(facts)
  // Concatenated DER certificates (cat a.der b.der) are read one after the other.
  let pos = first.end
  while (pos < bytes.length) {
    let next: Tlv
    try {
      next = readTlv(bytes, pos, bytes.length, "Certificate")
    } catch {
      ;(facts.warnings as string[]).push(`${bytes.length - pos} bytes after the certificate ignored`)
      return undefined
    }
    if (next.tag !== Tag.Sequence || next.cls !== TagClass.Universal) {
      ;(facts.warnings as string[]).push(`${bytes.length - pos} bytes after the certificate ignored`)
      return undefined
    }
    facts = await certificateOrStop(next, digest, block, undefined)
    out.push(facts)
    pos = next.end
  }
  return undefined
}

/**
 * The container is decoded by pkijs (it may be BER); every certificate in it must itself be DER and
 * goes through the same strict reader as a loose certificate. Entries that are not X.509 certificates
 * (attribute certificates, other formats) are skipped with a warning on the bundle's first certificate.
 */
const fromPkcs7 = async (
  bytes: Uint8Array,
  block: number | undefined,
  digest: Digest,
  out: CertificateFacts[]
): Promise<string | undefined> => {
  const bundle = readPkcs7Bundle(bytes)
  if (bundle._tag === "Unsupported") throw new Stop(x509Error("UnsupportedPkcs7", bundle.reason, block))
  if (bundle.end < bytes.length) {
    throw new Stop(
      x509Error("UnsupportedPkcs7", `${bytes.length - bundle.end} bytes after the PKCS#7 structure`, block)
    )
  }
  const skipped: string[] = []
  let first: CertificateFacts | undefined
  for (const [i, entry] of bundle.entries.entries()) {
    if (entry._tag === "Skipped") {
      skipped.push(`entry ${i + 1}: ${entry.kind}`)
      continue
    }
    const tlv = readOrStop(entry.encoding, block, `PKCS#7 certificate ${i + 1}: not a certificate`)
    const facts = await certificateOrStop(tlv, digest, block, i + 1)
    first ??= facts
    out.push(facts)
  }
  if (first === undefined) {
    return skipped.length === 0
      ? "PKCS#7 SignedData holds no certificate"
      : `PKCS#7 SignedData holds no X.509 certificate (skipped ${skipped.join("; ")})`
  }
  if (skipped.length > 0) {
    ;(first.warnings as string[]).push(
      `PKCS#7: ${skipped.length} non-X.509 ${skipped.length === 1 ? "entry" : "entries"} skipped (${skipped.join("; ")})`
    )
  }
  return undefined
}
