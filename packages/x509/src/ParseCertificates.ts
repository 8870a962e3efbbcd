/**
 * The entry point: any input a user may paste or upload (PEM with text around it, DER, bare base64,
 * PKCS#7 / CMS certs-only bundles) becomes the facts of every certificate in it, in order, or one
 * typed error. Never throws; the work is linear in the input, which is bounded by `maxInputBytes`, and
 * every structure in it is bounded by `Limits`. No state outlives a call: concurrent calls share nothing.
 * `parseCertificatesBlockwise` reads the same inputs through the same code, but a PEM block that fails
 * is recorded and the next block read, so one bad block does not hide the good ones.
 */
import { decodeBase64, decodeBase64Bytes } from "./Base64.js"
import type { CertificateFacts } from "./CertificateFacts.js"
import { type Digest, readCertificate } from "./CertificateReader.js"
import { DerError, hex, LimitError, readTlv, Tag, TagClass, type Tlv } from "./Der.js"
import { Limits } from "./Limits.js"
import {
  afterBom,
  afterHeaders,
  containsBegin,
  nextBlock,
  occurrences,
  onlySpace,
  type PemBlock
} from "./Pem.js"
import { looksLikeContentInfo, readPkcs7Bundle } from "./Pkcs7Bundle.js"
import { searchableText } from "./Text.js"
import { quote, type X509Error, x509Error } from "./X509Error.js"

export interface ParseOptions {
  /** Inputs larger than this (in bytes; a string counts as its UTF-8 encoding) are refused before any parsing. Default 4 MiB. */
  readonly maxInputBytes?: number
  /** WebCrypto to hash with; defaults to `globalThis.crypto`. Not used when `digest` is given. */
  readonly crypto?: Crypto
  /**
   * A hash function to use instead of WebCrypto's `subtle.digest`, which is asynchronous by design
   * (in Node ~47 us per call, against ~2 us for `node:crypto`'s createHash: a Node process passes that).
   * It must return the raw digest of `data`; a throw is a `CryptoUnavailable` failure.
   */
  readonly digest?: DigestFunction
}

export type DigestFunction = (
  algorithm: "SHA-1" | "SHA-256",
  data: Uint8Array
) => Uint8Array | Promise<Uint8Array>

/**
 * Where a certificate was found. `where` is the prefix this package's own messages use for it:
 * "block 2" (a PEM block, counting every BEGIN line), "block 2: PKCS#7 certificate 3" (the third entry
 * of the certificates SET of a bundle in block 2), "PKCS#7 certificate 3" (a binary bundle),
 * "certificate 2" (the second of concatenated DER certificates, or a lone one as "certificate 1").
 */
export interface CertificateOrigin {
  readonly block: number | undefined
  readonly where: string
}

export type ParseOutcome =
  | {
      readonly _tag: "Parsed"
      readonly certificates: ReadonlyArray<CertificateFacts>
      /** Where each certificate came from, index for index. */
      readonly origins: ReadonlyArray<CertificateOrigin>
    }
  | { readonly _tag: "Failed"; readonly error: X509Error }

/**
 * What `parseCertificatesBlockwise` found: the certificates of every block that was read whole, and the
 * failure of every block that was not (each with its `block`), or the one failure of the whole input.
 */
export interface BlockwiseOutcome {
  readonly certificates: ReadonlyArray<CertificateFacts>
  /** Where each certificate came from, index for index. */
  readonly origins: ReadonlyArray<CertificateOrigin>
  readonly failures: ReadonlyArray<X509Error>
}

export const DEFAULT_MAX_INPUT_BYTES = 4 * 1024 * 1024

const CERTIFICATE_LABELS: ReadonlySet<string> = new Set([
  "CERTIFICATE",
  "X509 CERTIFICATE",
  "TRUSTED CERTIFICATE"
])
const PKCS7_LABELS: ReadonlySet<string> = new Set(["PKCS7", "PKCS #7 SIGNED DATA", "CMS"])

/** Thrown inside this module only, to stop at the first failure with its typed error. */
class Stop {
  constructor(readonly error: X509Error) {}
}

/** Everything one call accumulates; created per call, so concurrent calls never meet. */
interface Context {
  readonly digest: Digest
  readonly certificates: CertificateFacts[]
  readonly origins: CertificateOrigin[]
  /** Whether a failing PEM block is recorded in `failures` and the next one read (else it ends the call). */
  readonly lenient: boolean
  readonly failures: X509Error[]
}

const failed = (error: X509Error): BlockwiseOutcome => ({ certificates: [], origins: [], failures: [error] })

const messageOf = (e: unknown): string => {
  try {
    return e instanceof Error ? `${e.name}: ${e.message}` : String(e)
  } catch {
    return "an exception that cannot be printed"
  }
}

export const parseCertificates = async (
  input: string | Uint8Array,
  options: ParseOptions = {}
): Promise<ParseOutcome> => {
  const outcome = await run(input, options, false)
  const error = outcome.failures[0]
  return error === undefined
    ? { _tag: "Parsed", certificates: outcome.certificates, origins: outcome.origins }
    : { _tag: "Failed", error }
}

/**
 * Like `parseCertificates`, block by block. In PEM input, a certificate or PKCS#7 block that fails
 * (bad base64, not a certificate, over a limit inside it, an unterminated last block) becomes one
 * entry of `failures`, with its `block` numbered as in every message (counting every BEGIN line), and
 * reading goes on with the next block. A block is all or nothing: a PKCS#7 block with one bad
 * certificate contributes none. Other inputs (DER, concatenated DER, base64, PKCS#7 DER) and
 * input-level failures (too large, no certificate at all, more certificate blocks than
 * `Limits.maxCertificates`, no WebCrypto) give what `parseCertificates` gives: the certificates, or
 * one failure and no certificate. The same limits hold: the size cap first, then at most
 * `Limits.maxCertificates` certificates across all blocks; after `Limits.maxCertificates` failing
 * blocks, one more failure (LimitExceeded) ends the reading. Never throws.
 */
export const parseCertificatesBlockwise = (
  input: string | Uint8Array,
  options: ParseOptions = {}
): Promise<BlockwiseOutcome> => run(input, options, true)

const run = async (
  input: string | Uint8Array,
  options: ParseOptions,
  lenient: boolean
): Promise<BlockwiseOutcome> => {
  try {
    return await parse(input, options, lenient)
  } catch (e) {
    if (e instanceof Stop) return failed(e.error)
    // A bug of ours must still not escape as an exception: callers rely on the outcome type.
    return failed(x509Error("InternalError", `unexpected parser failure: ${messageOf(e)}`))
  }
}

const parse = async (
  input: string | Uint8Array,
  options: ParseOptions,
  lenient: boolean
): Promise<BlockwiseOutcome> => {
  const max = options.maxInputBytes ?? DEFAULT_MAX_INPUT_BYTES
  const size = typeof input === "string" ? utf8Length(input, max) : input.length
  if (size > max) {
    return failed(
      x509Error("InputTooLarge", `input of at least ${size} bytes exceeds the limit of ${max} bytes`)
    )
  }
  const subtle = (options.crypto ?? globalThis.crypto)?.subtle
  const hash: DigestFunction | undefined =
    options.digest ??
    (subtle === undefined
      ? undefined
      : async (algorithm, data) =>
          new Uint8Array(await subtle.digest(algorithm, data as Uint8Array<ArrayBuffer>)))
  if (hash === undefined) {
    return failed(
      x509Error(
        "CryptoUnavailable",
        "no WebCrypto: pass options.crypto or options.digest, or run where globalThis.crypto exists"
      )
    )
  }
  const digest: Digest = async (algorithm, data) => {
    let result: Uint8Array
    try {
      result = await hash(algorithm, data)
    } catch (e) {
      const source = options.digest === undefined ? "WebCrypto " : "options.digest "
      throw new Stop(x509Error("CryptoUnavailable", `${source}${algorithm} digest failed: ${messageOf(e)}`))
    }
    return hex(result)
  }
  const ctx: Context = { digest, certificates: [], origins: [], lenient, failures: [] }

  if (size === 0) return failed(x509Error("NoCertificateFound", "empty input"))

  // Binary input is DER unless it holds a BEGIN line (a text file may start with "0", 0x30).
  const pem = typeof input === "string" ? input.includes("-----BEGIN ") : containsBegin(input)
  let empty: string | undefined
  if (typeof input !== "string" && input[0] === 0x30 && !pem) {
    empty = await fromDer(input, undefined, ctx)
  } else if (pem) {
    // Binary input becomes text once, one character per byte (a native pass), to search for the blocks;
    // their base64 is decoded from the input's own bytes.
    const text = typeof input === "string" ? input : searchableText(input)
    const skipped = await fromPem(text, typeof input === "string" ? undefined : input, ctx)
    if (ctx.certificates.length === 0 && ctx.failures.length === 0) {
      return failed(
        x509Error(
          "NoCertificateFound",
          skipped.length > 0
            ? `no certificate: the PEM blocks found are ${skipped.list()}`
            : "no certificate in the PEM blocks found"
        )
      )
    }
  } else {
    // A byte-order mark is not part of the base64.
    const bytes = typeof input === "string" ? new TextEncoder().encode(input) : input
    const from = afterBom(bytes)
    if (onlySpace(bytes, from)) return failed(x509Error("NoCertificateFound", "input is only whitespace"))
    const decoded = decodeBase64Bytes(bytes, from, bytes.length)
    if (!decoded.ok) {
      // A character that is neither base64 nor whitespace: this is not base64 at all. (One pass: the
      // decoder finds it, instead of a regex over the whole input first.)
      if (decoded.character !== undefined && !/\s/.test(decoded.character)) {
        return failed(x509Error("NoCertificateFound", "input is neither PEM, DER nor base64"))
      }
      return failed(x509Error("InvalidBase64", decoded.reason))
    }
    if (decoded.bytes[0] !== 0x30) {
      return failed(
        x509Error(
          "NotACertificate",
          "neither PEM nor DER, and read as base64 it is not DER either (no SEQUENCE)"
        )
      )
    }
    empty = await fromDer(decoded.bytes, undefined, ctx)
  }
  if (ctx.certificates.length === 0 && ctx.failures.length === 0) {
    return failed(x509Error("NoCertificateFound", empty ?? "no certificate in the input"))
  }
  return { certificates: ctx.certificates, origins: ctx.origins, failures: ctx.failures }
}

/** A list of things found, for a message: the first few named, the rest counted. */
class Listing {
  constructor(
    private readonly items: string[] = [],
    private count = 0
  ) {}
  get length(): number {
    return this.count
  }
  push(item: string): void {
    if (this.count++ < Limits.maxListed) this.items.push(item)
  }
  list(separator = ", "): string {
    const more = this.count - this.items.length
    return more > 0 ? `${this.items.join(separator)}${separator}and ${more} more` : this.items.join(separator)
  }
}

/** UTF-8 length of a string (what TextEncoder writes), stopping early once it is known to exceed `max`. */
export const utf8Length = (s: string, max: number): number => {
  if (s.length > max) return s.length
  let n = 0
  for (let i = 0; i < s.length && n <= max; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x80) n += 1
    else if (c < 0x800) n += 2
    else if (c >= 0xd800 && c <= 0xdbff && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      // A surrogate pair is one astral code point: 4 bytes.
      n += 4
      i++
    } else n += 3 // the rest of the BMP, and a lone surrogate (written as U+FFFD)
  }
  return n
}

/**
 * Reads every PEM block in order; returns the blocks skipped as not certificates (their labels, quoted),
 * including PKCS#7 blocks that hold no certificate: like a CRL block, they are not an error by themselves.
 */
const fromPem = async (text: string, bytes: Uint8Array | undefined, ctx: Context): Promise<Listing> => {
  // Count the certificate blocks first, so too many fail before any is read: an upper bound from a
  // native search for the BEGIN lines, and only when that is over the cap, an exact count of blocks.
  let count = 0
  for (const label of CERTIFICATE_LABELS) count += occurrences(text, `-----BEGIN ${label}-----`)
  if (count > Limits.maxCertificates) {
    count = 0
    for (let m = nextBlock(text, 0); m !== undefined && m.bodyEnd >= 0; m = nextBlock(text, m.next)) {
      if (CERTIFICATE_LABELS.has(m.label) && ++count > Limits.maxCertificates) break
    }
  }
  reserve(ctx, count, undefined)
  const skipped = new Listing()
  let block = 0
  for (let m = nextBlock(text, 0); m !== undefined; m = nextBlock(text, m.next)) {
    block++
    if (!ctx.lenient) {
      await fromPemBlock(text, bytes, m, block, ctx, skipped)
      continue
    }
    const read = ctx.certificates.length
    try {
      await fromPemBlock(text, bytes, m, block, ctx, skipped)
    } catch (e) {
      // WebCrypto missing fails every block alike: that is the input's failure, not this block's.
      if (e instanceof Stop && e.error.code === "CryptoUnavailable") throw e
      // All or nothing: the certificates this block had added go with it.
      ctx.certificates.length = read
      ctx.origins.length = read
      if (ctx.failures.length === Limits.maxCertificates) {
        ctx.failures.push(
          x509Error(
            "LimitExceeded",
            `more than ${Limits.maxCertificates} failing blocks in one input (limit): this block and the rest are not read`,
            block
          )
        )
        break
      }
      ctx.failures.push(
        e instanceof Stop
          ? e.error
          : x509Error("InternalError", `unexpected parser failure: ${messageOf(e)}`, block)
      )
    }
  }
  return skipped
}

/** Reads one PEM block: its certificates are appended, a block that holds none is added to `skipped`. */
const fromPemBlock = async (
  text: string,
  bytes: Uint8Array | undefined,
  m: PemBlock,
  block: number,
  ctx: Context,
  skipped: Listing
): Promise<void> => {
  const { label } = m
  if (m.bodyEnd < 0) {
    throw new Stop(
      x509Error(
        "InvalidPem",
        `${quote(`-----BEGIN ${label}-----`, 100)} without ${quote(`-----END ${label}-----`, 100)}`,
        block
      )
    )
  }
  const isCert = CERTIFICATE_LABELS.has(label)
  if (!isCert && !PKCS7_LABELS.has(label)) {
    skipped.push(quote(label))
    return
  }
  const start = afterHeaders(text, m.bodyStart, m.bodyEnd)
  // From the input's own bytes when there are some (Latin-1 maps them one to one), else the text's UTF-8.
  const decoded =
    bytes !== undefined
      ? decodeBase64Bytes(bytes, start, m.bodyEnd)
      : decodeBase64(text.slice(start, m.bodyEnd))
  if (!decoded.ok) throw new Stop(x509Error("InvalidPem", `${label}: ${decoded.reason}`, block))
  if (decoded.bytes.length === 0) throw new Stop(x509Error("InvalidPem", `${label}: empty block`, block))
  if (isCert) {
    // TRUSTED CERTIFICATE is OpenSSL's certificate followed by trust settings: read the first object only.
    const tlv = readOrStop(decoded.bytes, block, "not a certificate")
    const facts = await certificateOrStop(tlv, ctx, { block, where: `block ${block}` }, "")
    if (tlv.end < decoded.bytes.length && label !== "TRUSTED CERTIFICATE") {
      ;(facts.warnings as string[]).push(
        `PEM block: ${decoded.bytes.length - tlv.end} bytes after the certificate ignored`
      )
    }
  } else {
    const empty = await fromDer(decoded.bytes, block, ctx)
    if (empty !== undefined) skipped.push(`${quote(label)} (block ${block}: ${empty})`)
  }
}

const readOrStop = (bytes: Uint8Array, block: number | undefined, what: string): Tlv => {
  try {
    return readTlv(bytes, 0, bytes.length, "Certificate")
  } catch (e) {
    if (e instanceof DerError) throw new Stop(x509Error("NotACertificate", `${what}: ${e.message}`, block))
    throw e
  }
}

/**
 * Reads one certificate and appends it with its origin. `prefix` says which one it is inside the
 * block or input ("PKCS#7 certificate 3: ", "certificate 2: ", or "" when there is no doubt).
 */
const certificateOrStop = async (
  tlv: Tlv,
  ctx: Context,
  origin: CertificateOrigin,
  prefix: string
): Promise<CertificateFacts> => {
  if (ctx.certificates.length === Limits.maxCertificates) {
    throw new Stop(
      x509Error(
        "LimitExceeded",
        `${prefix}more than ${Limits.maxCertificates} certificates in one input (limit)`,
        origin.block
      )
    )
  }
  let facts: CertificateFacts
  try {
    facts = await readCertificate(tlv, ctx.digest)
  } catch (e) {
    if (e instanceof LimitError)
      throw new Stop(x509Error("LimitExceeded", `${prefix}${e.message}`, origin.block))
    if (e instanceof DerError) {
      throw new Stop(x509Error("NotACertificate", `${prefix}not a certificate: ${e.message}`, origin.block))
    }
    throw e
  }
  ctx.certificates.push(facts)
  ctx.origins.push(origin)
  return facts
}

/** Fails now when `count` more certificates would go past `Limits.maxCertificates`. */
const reserve = (ctx: Context, count: number, block: number | undefined): void => {
  if (ctx.certificates.length + count > Limits.maxCertificates) {
    throw new Stop(
      x509Error(
        "LimitExceeded",
        `more than ${Limits.maxCertificates} certificates in one input (limit)`,
        block
      )
    )
  }
}

const blockPrefix = (block: number | undefined): string => (block === undefined ? "" : `block ${block}: `)

/**
 * A PKCS#7 / CMS ContentInfo (DER or BER), or a DER certificate possibly followed by more DER
 * certificates. Returns why nothing was read when nothing was (an empty bundle), else undefined.
 */
const fromDer = async (
  bytes: Uint8Array,
  block: number | undefined,
  ctx: Context
): Promise<string | undefined> => {
  if (looksLikeContentInfo(bytes)) return fromPkcs7(bytes, block, ctx)
  const first = readOrStop(bytes, block, "not a certificate")
  // Count the concatenated certificates first (header hops only), so too many fail before any is read.
  let count = 1
  for (let pos = first.end; pos < bytes.length && count <= Limits.maxCertificates; count++) {
    if (bytes[pos] !== 0x30) break
    try {
      pos = readTlv(bytes, pos, bytes.length, "Certificate").end
    } catch {
      break
    }
  }
  reserve(ctx, count, block)
  const where = (n: number) => (block === undefined ? `certificate ${n}` : `block ${block}`)
  let facts = await certificateOrStop(first, ctx, { block, where: where(1) }, "")
  // Concatenated DER certificates (cat a.der b.der) are read one after the other.
  let pos = first.end
  for (let n = 2; pos < bytes.length; n++) {
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
    const name = `certificate ${n}`
    facts = await certificateOrStop(next, ctx, { block, where: `${blockPrefix(block)}${name}` }, `${name}: `)
    pos = next.end
  }
  return undefined
}

/**
 * Only the container's skeleton is decoded (it may be BER); every certificate in it must itself be
 * DER and goes through the same strict reader as a loose certificate, from its exact bytes. Entries
 * that are not X.509 certificates (attribute certificates, other formats) are skipped with a warning
 * on the bundle's first certificate.
 */
const fromPkcs7 = async (
  bytes: Uint8Array,
  block: number | undefined,
  ctx: Context
): Promise<string | undefined> => {
  const bundle = readPkcs7Bundle(bytes)
  if (bundle._tag === "Unsupported") throw new Stop(x509Error("UnsupportedPkcs7", bundle.reason, block))
  reserve(ctx, bundle.certificates.length, block)
  if (bundle.end < bytes.length) {
    throw new Stop(
      x509Error("UnsupportedPkcs7", `${bytes.length - bundle.end} bytes after the PKCS#7 structure`, block)
    )
  }
  let first: CertificateFacts | undefined
  for (const entry of bundle.certificates) {
    const name = `PKCS#7 certificate ${entry.ordinal}`
    const der = bytes.subarray(entry.start, entry.end)
    const tlv = readOrStop(der, block, `${name}: not a certificate`)
    const facts = await certificateOrStop(
      tlv,
      ctx,
      { block, where: `${blockPrefix(block)}${name}` },
      `${name}: `
    )
    first ??= facts
  }
  const skipped = new Listing([...bundle.skippedListed], bundle.skipped)
  if (first === undefined) {
    return skipped.length === 0
      ? "PKCS#7 SignedData holds no certificate"
      : `PKCS#7 SignedData holds no X.509 certificate (skipped ${skipped.list("; ")})`
  }
  if (skipped.length > 0) {
    ;(first.warnings as string[]).push(
      `PKCS#7: ${skipped.length} non-X.509 ${skipped.length === 1 ? "entry" : "entries"} skipped (${skipped.list("; ")})`
    )
  }
  return undefined
}
