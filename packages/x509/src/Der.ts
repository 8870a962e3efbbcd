/**
 * A small, strict DER reader. Certificates are read with it instead of a general ASN.1 library so
 * that every fact comes from the exact bytes (times, serials, string types), the work per byte is
 * bounded (no recursion over untrusted structure), and a malformed input says where it broke.
 */
import { Limits } from "./Limits.js"
import { fromAsciiCodes } from "./Text.js"

/** Thrown inside this package only; `parseCertificates` turns it into an X509Error. */
export class DerError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string
  ) {
    super(`${path}: ${reason}`)
  }
}

/** A structure beyond one of the caps in `Limits` (not malformed, just more than certory accepts). */
export class LimitError extends DerError {}

export enum TagClass {
  Universal = 0,
  Application = 1,
  Context = 2,
  Private = 3
}

/** One tag-length-value, as offsets into the buffer it was read from (nothing is copied). */
export interface Tlv {
  readonly bytes: Uint8Array
  readonly cls: TagClass
  readonly constructed: boolean
  /** Tag number (low-tag-number form only; certificates never need more). */
  readonly tag: number
  /** Offset of the identifier octet. */
  readonly start: number
  /** Offset of the first content octet. */
  readonly contentStart: number
  /** Offset just past the last content octet. */
  readonly end: number
}

export const Tag = {
  Boolean: 1,
  Integer: 2,
  BitString: 3,
  OctetString: 4,
  Null: 5,
  Oid: 6,
  Utf8String: 12,
  Sequence: 16,
  Set: 17,
  NumericString: 18,
  PrintableString: 19,
  TeletexString: 20,
  VideotexString: 21,
  Ia5String: 22,
  UtcTime: 23,
  GeneralizedTime: 24,
  GraphicString: 25,
  VisibleString: 26,
  GeneralString: 27,
  UniversalString: 28,
  BmpString: 30
} as const

/** Reads one TLV at `pos`; it must end at or before `limit`. Rejects BER-only forms (indefinite or non-minimal lengths). */
export const readTlv = (bytes: Uint8Array, pos: number, limit: number, path: string): Tlv => {
  if (pos >= limit) throw new DerError(path, "missing (end of data)")
  const id = bytes[pos]!
  const cls = (id >> 6) as TagClass
  const constructed = (id & 0x20) !== 0
  const tag = id & 0x1f
  if (tag === 0x1f) throw new DerError(path, `unsupported high tag number at offset ${pos}`)
  let p = pos + 1
  if (p >= limit) throw new DerError(path, `truncated length at offset ${p}`)
  const first = bytes[p++]!
  let length: number
  if (first < 0x80) {
    length = first
  } else if (first === 0x80) {
    throw new DerError(path, `indefinite length (BER, not DER) at offset ${pos}`)
  } else {
    const n = first & 0x7f
    if (n > 4) throw new DerError(path, `length of ${n} octets is too large at offset ${pos}`)
    if (p + n > limit) throw new DerError(path, `truncated length at offset ${p}`)
    length = 0
    for (let i = 0; i < n; i++) length = length * 256 + bytes[p++]!
    if (length < 0x80 || (n > 1 && bytes[p - n] === 0)) {
      throw new DerError(path, `non-minimal length encoding at offset ${pos}`)
    }
  }
  if (p + length > limit) {
    throw new DerError(path, `length ${length} at offset ${pos} runs past the end of its container`)
  }
  return { bytes, cls, constructed, tag, start: pos, contentStart: p, end: p + length }
}

/** Reads the children of a constructed TLV one by one. */
export class DerReader {
  private pos: number
  constructor(
    readonly parent: Tlv,
    readonly path: string
  ) {
    this.pos = parent.contentStart
  }

  get done(): boolean {
    return this.pos >= this.parent.end
  }

  peek(): Tlv | undefined {
    if (this.done) return undefined
    return readTlv(this.parent.bytes, this.pos, this.parent.end, this.path)
  }

  next(name: string): Tlv {
    const tlv = readTlv(this.parent.bytes, this.pos, this.parent.end, `${this.path}.${name}`)
    this.pos = tlv.end
    return tlv
  }

  /** Next child, which must be the given universal tag. */
  expect(tag: number, name: string): Tlv {
    const tlv = this.next(name)
    if (tlv.cls !== TagClass.Universal || tlv.tag !== tag) {
      throw new DerError(`${this.path}.${name}`, `expected ${tagName(tag)}, found ${describe(tlv)}`)
    }
    return tlv
  }

  /** Next child if it carries the given context tag. */
  optionalContext(tag: number, name: string): Tlv | undefined {
    const tlv = this.peek()
    if (tlv === undefined || tlv.cls !== TagClass.Context || tlv.tag !== tag) return undefined
    return this.next(name)
  }

  end(): void {
    if (!this.done) {
      throw new DerError(this.path, `${this.parent.end - this.pos} unexpected bytes after the last field`)
    }
  }
}

export const children = (tlv: Tlv, path: string): DerReader => {
  if (!tlv.constructed) throw new DerError(path, `expected a constructed value, found ${describe(tlv)}`)
  return new DerReader(tlv, path)
}

export const content = (tlv: Tlv): Uint8Array => tlv.bytes.subarray(tlv.contentStart, tlv.end)

/** A fresh copy of the whole TLV, so the result never pins the input buffer. */
export const copyTlv = (tlv: Tlv): Uint8Array => tlv.bytes.slice(tlv.start, tlv.end)

const universalNames: Record<number, string> = {
  1: "BOOLEAN",
  2: "INTEGER",
  3: "BIT STRING",
  4: "OCTET STRING",
  5: "NULL",
  6: "OBJECT IDENTIFIER",
  12: "UTF8String",
  16: "SEQUENCE",
  17: "SET",
  18: "NumericString",
  19: "PrintableString",
  20: "TeletexString",
  21: "VideotexString",
  22: "IA5String",
  23: "UTCTime",
  24: "GeneralizedTime",
  25: "GraphicString",
  26: "VisibleString",
  27: "GeneralString",
  28: "UniversalString",
  30: "BMPString"
}

export const tagName = (tag: number): string => universalNames[tag] ?? `universal tag ${tag}`

export const describe = (tlv: Tlv): string => {
  if (tlv.cls === TagClass.Universal) return tagName(tlv.tag)
  const cls = ["universal", "application", "context", "private"][tlv.cls]
  return `[${tlv.tag}] (${cls}${tlv.constructed ? ", constructed" : ""})`
}

/**
 * Dotted form of an OBJECT IDENTIFIER. Linear in its length: arcs of up to 7 octets (49 bits: every
 * arc in the corpus) are numbers, longer ones one BigInt each; OIDs and arcs beyond the caps are refused.
 */
export const decodeOid = (tlv: Tlv, path: string): string => {
  if (tlv.cls !== TagClass.Universal || tlv.tag !== Tag.Oid || tlv.constructed) {
    throw new DerError(path, `expected OBJECT IDENTIFIER, found ${describe(tlv)}`)
  }
  const b = tlv.bytes
  const end = tlv.end
  const length = end - tlv.contentStart
  if (length === 0) throw new DerError(path, "empty OBJECT IDENTIFIER")
  if (length > Limits.maxOidBytes) {
    throw new LimitError(path, `OBJECT IDENTIFIER of ${length} octets (limit ${Limits.maxOidBytes})`)
  }
  if (b[end - 1]! & 0x80) throw new DerError(path, "truncated OBJECT IDENTIFIER")
  let out = ""
  for (let start = tlv.contentStart; start < end; ) {
    if (b[start] === 0x80) throw new DerError(path, "non-minimal OBJECT IDENTIFIER arc")
    let stop = start
    while (b[stop]! & 0x80) stop++
    const octets = stop - start + 1
    if (octets > Limits.maxOidArcBytes) {
      throw new LimitError(path, `OBJECT IDENTIFIER arc of ${octets} octets (limit ${Limits.maxOidArcBytes})`)
    }
    let arc: number | bigint
    if (octets <= 7) {
      let v = 0
      for (let i = start; i <= stop; i++) v = v * 128 + (b[i]! & 0x7f)
      arc = v
    } else {
      // The 7-bit groups as one binary literal: a single BigInt parse per arc.
      let bits = "0b"
      for (let i = start; i <= stop; i++) bits += (b[i]! & 0x7f).toString(2).padStart(7, "0")
      arc = BigInt(bits)
    }
    if (start === tlv.contentStart) {
      // The first subidentifier packs the first two arcs: 40 * first + second, first in 0..2.
      if (typeof arc === "number") out = arc < 40 ? `0.${arc}` : arc < 80 ? `1.${arc - 40}` : `2.${arc - 80}`
      else out = `2.${arc - 80n}`
    } else {
      out += `.${arc}`
    }
    start = stop + 1
  }
  return out
}

/** Two's-complement INTEGER as a BigInt; rejects empty and non-minimal encodings like DER requires. */
export const decodeInteger = (tlv: Tlv, path: string): bigint => {
  if (tlv.cls !== TagClass.Universal || tlv.tag !== Tag.Integer) {
    throw new DerError(path, `expected INTEGER, found ${describe(tlv)}`)
  }
  const c = content(tlv)
  if (c.length === 0) throw new DerError(path, "empty INTEGER")
  if (c.length > 1 && ((c[0] === 0 && (c[1]! & 0x80) === 0) || (c[0] === 0xff && (c[1]! & 0x80) !== 0))) {
    throw new DerError(path, "non-minimal INTEGER encoding")
  }
  // One BigInt parse of the hex, not a shift per byte: linear instead of quadratic in the length.
  let v = BigInt(`0x${hex(c)}`)
  if (c[0]! & 0x80) v -= 1n << BigInt(c.length * 8)
  return v
}

/** Bit length of a non-negative INTEGER (RSA modulus, DSA p, EC prime) without building a BigInt. */
export const integerBitLength = (tlv: Tlv, path: string): number => {
  if (tlv.cls !== TagClass.Universal || tlv.tag !== Tag.Integer) {
    throw new DerError(path, `expected INTEGER, found ${describe(tlv)}`)
  }
  const c = content(tlv)
  if (c.length === 0) throw new DerError(path, "empty INTEGER")
  if (c[0]! & 0x80) return 0
  let i = 0
  while (i < c.length && c[i] === 0) i++
  if (i === c.length) return 0
  return (c.length - i - 1) * 8 + (32 - Math.clz32(c[i]!))
}

/**
 * Non-negative INTEGER of at most `max` (versions, path lengths, template versions) as a number,
 * without a BigInt: an encoding longer than any such value is refused by its length alone.
 */
export const decodeSmallInteger = (tlv: Tlv, path: string, max = 0x7fffffff): number => {
  if (tlv.cls !== TagClass.Universal || tlv.tag !== Tag.Integer || tlv.constructed) {
    throw new DerError(path, `expected INTEGER, found ${describe(tlv)}`)
  }
  const b = tlv.bytes
  const length = tlv.end - tlv.contentStart
  if (length === 0) throw new DerError(path, "empty INTEGER")
  const first = b[tlv.contentStart]!
  if (
    length > 1 &&
    ((first === 0 && (b[tlv.contentStart + 1]! & 0x80) === 0) ||
      (first === 0xff && (b[tlv.contentStart + 1]! & 0x80) !== 0))
  ) {
    throw new DerError(path, "non-minimal INTEGER encoding")
  }
  if (first & 0x80) {
    if (length > 6) throw new DerError(path, `negative INTEGER of ${length} octets out of range`)
    throw new DerError(path, `INTEGER ${decodeInteger(tlv, path)} out of range`)
  }
  // max < 2^53: 7 octets (6 plus a sign octet) always hold it.
  if (length > 7) throw new DerError(path, `INTEGER of ${length} octets out of range`)
  let v = 0
  for (let i = tlv.contentStart; i < tlv.end; i++) v = v * 256 + b[i]!
  if (v > max) throw new DerError(path, `INTEGER ${v} out of range`)
  return v
}

export const decodeBoolean = (tlv: Tlv, path: string, warnings: string[]): boolean => {
  if (tlv.cls !== TagClass.Universal || tlv.tag !== Tag.Boolean) {
    throw new DerError(path, `expected BOOLEAN, found ${describe(tlv)}`)
  }
  const c = content(tlv)
  if (c.length !== 1) throw new DerError(path, `BOOLEAN of ${c.length} octets`)
  if (c[0] !== 0 && c[0] !== 0xff) warnings.push(`${path}: BOOLEAN encoded as ${hex(c)} (BER, not DER)`)
  return c[0] !== 0
}

/** BIT STRING content without the unused-bits octet. */
export const decodeBitString = (tlv: Tlv, path: string): { bits: Uint8Array; unused: number } => {
  if (tlv.cls !== TagClass.Universal || tlv.tag !== Tag.BitString || tlv.constructed) {
    throw new DerError(path, `expected BIT STRING, found ${describe(tlv)}`)
  }
  const c = content(tlv)
  if (c.length === 0) throw new DerError(path, "empty BIT STRING")
  const unused = c[0]!
  if (unused > 7 || (c.length === 1 && unused !== 0))
    throw new DerError(path, `invalid unused-bits count ${unused}`)
  return { bits: c.subarray(1), unused }
}

const HEX = "0123456789ABCDEF"
const HEX_CODES = Uint8Array.from(HEX, (c) => c.charCodeAt(0))

/** Uppercase hex; long values are written into one buffer instead of appended to a string. */
export const hex = (bytes: Uint8Array): string => {
  if (bytes.length <= 64) {
    let s = ""
    for (const b of bytes) s += HEX[b >> 4]! + HEX[b & 15]!
    return s
  }
  const out = new Uint8Array(bytes.length * 2)
  for (let i = 0; i < bytes.length; i++) {
    out[2 * i] = HEX_CODES[bytes[i]! >> 4]!
    out[2 * i + 1] = HEX_CODES[bytes[i]! & 15]!
  }
  return fromAsciiCodes(out)
}
