/**
 * Building strings from bytes in time and memory linear in their length. Appending one character at
 * a time (`s += c`) makes V8 keep a rope node per append: for a value of megabytes that is hundreds of
 * megabytes until the string is flattened. Large strings are therefore built a chunk at a time.
 */

/** Characters per chunk: small enough for `String.fromCharCode(...chunk)`, large enough to be cheap. */
const CHUNK = 4096

const ascii = new TextDecoder()

/** A string from ASCII codes (hex digits, base64): one decode of the whole buffer. */
export const fromAsciiCodes = (codes: Uint8Array): string => ascii.decode(codes)

/**
 * `String.fromCharCode` over a typed array, a chunk at a time (`apply` takes the array as it is; a
 * spread goes through the iterator, several times slower).
 */
const charCodes = (codes: Uint8Array | Uint16Array): string => {
  if (codes.length <= CHUNK) return String.fromCharCode.apply(null, codes as unknown as number[])
  const parts: string[] = []
  for (let i = 0; i < codes.length; i += CHUNK) {
    parts.push(String.fromCharCode.apply(null, codes.subarray(i, i + CHUNK) as unknown as number[]))
  }
  return parts.join("")
}

/** Bytes as Latin-1 characters (ISO 8859-1: byte value = code point). */
export const latin1 = (bytes: Uint8Array): string => {
  if (bytes.length > CHUNK) {
    // ASCII (every PEM file) decodes the same as UTF-8, and Latin-1 without C1 controls (0x80-0x9F)
    // the same as windows-1252: TextDecoder does either in one native pass.
    const high = highBytes(bytes)
    if (high === "none") return ascii.decode(bytes)
    const windows1252 = high === "c1" ? undefined : decoderFor("windows-1252")
    if (windows1252 !== undefined) return windows1252.decode(bytes)
  }
  return charCodes(bytes)
}

/**
 * Bytes as text with one character per byte, for searching (PEM markers): exactly Latin-1 except that
 * bytes 0x80-0x9F may read as windows-1252's characters, which no marker contains. One native pass
 * where the runtime has windows-1252 (the Encoding Standard's single-byte encodings are optional).
 */
export const searchableText = (bytes: Uint8Array): string => {
  if (bytes.length <= CHUNK) return charCodes(bytes)
  if (highBytes(bytes) === "none") return ascii.decode(bytes)
  return decoderFor("windows-1252")?.decode(bytes) ?? charCodes(bytes)
}

/** Whether there are bytes above 0x7F, and among them C1 controls (0x80-0x9F). */
const highBytes = (bytes: Uint8Array): "none" | "latin1" | "c1" => {
  let high = false
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!
    if (b >= 0x80) {
      if (b < 0xa0) return "c1"
      high = true
    }
  }
  return high ? "latin1" : "none"
}

/** A decoder for a legacy encoding, where the runtime has one. */
const decoderFor = (label: string): TextDecoder | undefined => {
  try {
    return new TextDecoder(label)
  } catch {
    return undefined
  }
}

/** UTF-16 code units as a string (lone surrogates kept as they are). */
export const fromCodeUnits = (units: Uint16Array): string => charCodes(units)

/** Code points as a string (each already checked to be at most U+10FFFF). */
export const fromCodePoints = (points: Uint32Array): string => {
  const parts: string[] = []
  for (let i = 0; i < points.length; i += CHUNK) {
    parts.push(String.fromCodePoint.apply(null, points.subarray(i, i + CHUNK) as unknown as number[]))
  }
  return parts.join("")
}

/**
 * UTF-16 code units written into one buffer, for escapers: the output of escaping a value of
 * megabytes is built without a string (or rope node) per character.
 */
export class CodeUnits {
  private readonly units: Uint16Array
  private n = 0
  /** Bitwise OR of every unit written: below 0x80 means the text is ASCII. */
  private seen = 0
  /** `capacity`: the most units that will be written. */
  constructor(capacity: number) {
    this.units = new Uint16Array(capacity)
  }

  push(unit: number): void {
    this.units[this.n++] = unit
    this.seen |= unit
  }

  /** `text[from, to)`, unit by unit. */
  copy(text: string, from: number, to: number): void {
    for (let i = from; i < to; i++) {
      const unit = text.charCodeAt(i)
      this.units[this.n++] = unit
      this.seen |= unit
    }
  }

  toString(): string {
    const units = this.units.subarray(0, this.n)
    // ASCII text (the usual case) is decoded in one native pass, without chunks to join.
    if (this.seen < 0x80 && units.length > CHUNK) return ascii.decode(Uint8Array.from(units))
    return fromCodeUnits(units)
  }
}
