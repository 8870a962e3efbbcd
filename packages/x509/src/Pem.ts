/**
 * PEM armour, read from bytes: a string input is UTF-8 encoded first, so both take one path and no
 * input is turned into a string as a whole (for megabytes of text that conversion alone cost more than
 * the rest). Every scan is a forward search from where the last one stopped: linear in the input.
 */

const asciiBytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0))

const BEGIN = asciiBytes("-----BEGIN ")
const END = asciiBytes("-----END ")
const DASHES = asciiBytes("-----")

/** Index of `needle` in `bytes` at or after `from`, or -1. */
export const indexOfBytes = (bytes: Uint8Array, needle: Uint8Array, from: number): number => {
  const first = needle[0]!
  const last = bytes.length - needle.length
  for (let i = bytes.indexOf(first, from); i >= 0 && i <= last; i = bytes.indexOf(first, i + 1)) {
    let j = 1
    while (j < needle.length && bytes[i + j] === needle[j]) j++
    if (j === needle.length) return i
  }
  return -1
}

const utf8 = (bytes: Uint8Array): string => new TextDecoder().decode(bytes)

export interface PemBlock {
  /** The label between "-----BEGIN " and "-----" (1-64 bytes, none of them CR, LF or "-"). */
  readonly label: string
  /** First byte after the BEGIN line's dashes. */
  readonly bodyStart: number
  /** Where "-----END <label>-----" starts, or -1 when there is none. */
  readonly bodyEnd: number
  /** First byte after the END line's dashes (where the next block is looked for). */
  readonly next: number
}

/** The next BEGIN line at or after `from`, with its END line, or undefined when there is none. */
export const nextBlock = (bytes: Uint8Array, from: number): PemBlock | undefined => {
  for (let i = indexOfBytes(bytes, BEGIN, from); i >= 0; i = indexOfBytes(bytes, BEGIN, i + 1)) {
    const labelStart = i + BEGIN.length
    const max = Math.min(bytes.length, labelStart + 64)
    let j = labelStart
    while (j < max && bytes[j] !== 0x2d && bytes[j] !== 0x0d && bytes[j] !== 0x0a) j++
    if (j === labelStart || !startsWith(bytes, j, DASHES)) continue
    const labelBytes = bytes.subarray(labelStart, j)
    const endMarker = new Uint8Array(END.length + labelBytes.length + DASHES.length)
    endMarker.set(END)
    endMarker.set(labelBytes, END.length)
    endMarker.set(DASHES, END.length + labelBytes.length)
    const bodyStart = j + DASHES.length
    const bodyEnd = indexOfBytes(bytes, endMarker, bodyStart)
    return {
      label: utf8(labelBytes),
      bodyStart,
      bodyEnd,
      next: bodyEnd < 0 ? bytes.length : bodyEnd + endMarker.length
    }
  }
  return undefined
}

/** How many times `needle` occurs, without overlaps (a native search each time). */
export const occurrences = (bytes: Uint8Array, needle: string): number => {
  const n = asciiBytes(needle)
  let count = 0
  for (let i = indexOfBytes(bytes, n, 0); i >= 0; i = indexOfBytes(bytes, n, i + n.length)) count++
  return count
}

export const contains = (bytes: Uint8Array, needle: string): boolean =>
  indexOfBytes(bytes, asciiBytes(needle), 0) >= 0

const startsWith = (bytes: Uint8Array, at: number, prefix: Uint8Array): boolean => {
  if (at + prefix.length > bytes.length) return false
  for (let k = 0; k < prefix.length; k++) if (bytes[at + k] !== prefix[k]) return false
  return true
}

const isSpace = (b: number): boolean =>
  b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || b === 0x0b || b === 0x0c

/**
 * Where the base64 of a block starts: after RFC 1421 encapsulated headers ("Proc-Type: ...") when the
 * first line with anything on it holds a colon; they end at the first line that is empty or only
 * whitespace (no such line: the whole block is headers).
 */
export const afterHeaders = (bytes: Uint8Array, start: number, end: number): number => {
  const colon = bytes.indexOf(0x3a, start)
  if (colon < 0 || colon >= end) return start
  let first = start
  while (first < end && isSpace(bytes[first]!)) first++
  if (first === end) return start
  let lineStart = first
  while (lineStart > start && bytes[lineStart - 1] !== 0x0a) lineStart--
  let lineEnd = bytes.indexOf(0x0a, first)
  if (lineEnd < 0 || lineEnd > end) lineEnd = end
  if (colon >= lineEnd) return start
  for (let q = bytes.indexOf(0x0a, lineStart); q >= 0 && q < end; q = bytes.indexOf(0x0a, q + 1)) {
    let r = q + 1
    while (r < end && bytes[r] !== 0x0a && isSpace(bytes[r]!)) r++
    if (r >= end) return end
    if (bytes[r] === 0x0a) return r + 1
  }
  return end
}

/** After a byte-order mark (U+FEFF as UTF-8), if there is one. */
export const afterBom = (bytes: Uint8Array): number =>
  bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0

/** Whether `bytes[from, end)` is only ASCII whitespace. */
export const onlySpace = (bytes: Uint8Array, from: number): boolean => {
  for (let i = from; i < bytes.length; i++) if (!isSpace(bytes[i]!)) return false
  return true
}
