/**
 * PEM armour. Blocks are found in text with the engine's own string search (`indexOf`, sublinear on
 * typical input and linear on any), each scan starting where the last one stopped; binary input is
 * turned into text once (one native pass when it is ASCII, as every PEM file is), and the base64 of
 * each block is then decoded from the original bytes, which Latin-1 maps one to one.
 */

const BEGIN = "-----BEGIN "

export interface PemBlock {
  /** The label between "-----BEGIN " and "-----" (1-64 characters, none of them CR, LF or "-"). */
  readonly label: string
  /** First character after the BEGIN line's dashes. */
  readonly bodyStart: number
  /** Where "-----END <label>-----" starts, or -1 when there is none. */
  readonly bodyEnd: number
  /** First character after the END line's dashes (where the next block is looked for). */
  readonly next: number
}

/** The next BEGIN line at or after `from`, with its END line, or undefined when there is none. */
export const nextBlock = (text: string, from: number): PemBlock | undefined => {
  for (let i = text.indexOf(BEGIN, from); i >= 0; i = text.indexOf(BEGIN, i + 1)) {
    const labelStart = i + BEGIN.length
    const max = Math.min(text.length, labelStart + 64)
    let j = labelStart
    while (j < max) {
      const c = text.charCodeAt(j)
      if (c === 0x2d || c === 0x0d || c === 0x0a) break
      j++
    }
    if (j === labelStart || !text.startsWith("-----", j)) continue
    const label = text.slice(labelStart, j)
    const endMarker = `-----END ${label}-----`
    const bodyStart = j + 5
    const bodyEnd = text.indexOf(endMarker, bodyStart)
    return { label, bodyStart, bodyEnd, next: bodyEnd < 0 ? text.length : bodyEnd + endMarker.length }
  }
  return undefined
}

/** How many times `needle` occurs, without overlaps. */
export const occurrences = (text: string, needle: string): number => {
  let count = 0
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) count++
  return count
}

const isSpace = (c: number): boolean =>
  c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0b || c === 0x0c

/**
 * Where the base64 of a block starts: after RFC 1421 encapsulated headers ("Proc-Type: ...") when the
 * first line with anything on it holds a colon; they end at the first line that is empty or only
 * whitespace (no such line: the whole block is headers). Searches, never splits into lines.
 */
export const afterHeaders = (text: string, start: number, end: number): number => {
  const colon = text.indexOf(":", start)
  if (colon < 0 || colon >= end) return start
  let first = start
  while (first < end && isSpace(text.charCodeAt(first))) first++
  if (first === end) return start
  const lineStart = text.lastIndexOf("\n", first) + 1
  let lineEnd = text.indexOf("\n", first)
  if (lineEnd < 0 || lineEnd > end) lineEnd = end
  if (colon >= lineEnd) return start
  for (
    let q = text.indexOf("\n", Math.max(lineStart, start));
    q >= 0 && q < end;
    q = text.indexOf("\n", q + 1)
  ) {
    let r = q + 1
    while (r < end && text.charCodeAt(r) !== 0x0a && isSpace(text.charCodeAt(r))) r++
    if (r >= end) return end
    if (text.charCodeAt(r) === 0x0a) return r + 1
  }
  return end
}

/**
 * Whether binary input holds "-----BEGIN " (then it is text, even when it starts like DER). Boyer-Moore-
 * Horspool over the bytes: every comparison is local, and the shift is at least 1 for any input, so
 * the search is linear whatever the input (no byte of it can make every position a candidate).
 */
export const containsBegin = (bytes: Uint8Array): boolean => {
  const m = BEGIN.length
  for (let i = m - 1; i < bytes.length; ) {
    let k = 0
    while (k < m && bytes[i - k] === BEGIN.charCodeAt(m - 1 - k)) k++
    if (k === m) return true
    i += SHIFT[bytes[i]!]!
  }
  return false
}

/** Horspool's shift per byte value for "-----BEGIN ": how far its last occurrence (before the end) is from the end. */
const SHIFT = (() => {
  const table = new Uint8Array(256).fill(BEGIN.length)
  for (let k = 0; k < BEGIN.length - 1; k++) table[BEGIN.charCodeAt(k)] = BEGIN.length - 1 - k
  return table
})()

/** After a byte-order mark (U+FEFF as UTF-8), if there is one. */
export const afterBom = (bytes: Uint8Array): number =>
  bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0

/** Whether `bytes[from, end)` is only ASCII whitespace. */
export const onlySpace = (bytes: Uint8Array, from: number): boolean => {
  for (let i = from; i < bytes.length; i++) if (!isSpace(bytes[i]!)) return false
  return true
}
