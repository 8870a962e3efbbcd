/**
 * Base64 (standard and URL-safe alphabets) and PEM armour. Written here rather than using atob/btoa
 * so a bad character is reported with its position and the same code runs in Node and workerd.
 */
import { fromAsciiCodes } from "./Text.js"

const STD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

/** Value of each ASCII code: 0-63 a base64 digit, SPACE for whitespace, PAD for "=", -1 anything else. */
const SPACE = -2
const PADDING = -3
const decodeTable = (() => {
  const t = new Int8Array(128).fill(-1)
  for (let i = 0; i < 64; i++) t[STD.charCodeAt(i)] = i
  // URL-safe alphabet (x5t thumbprints) decodes with the same table.
  t["-".charCodeAt(0)] = 62
  t["_".charCodeAt(0)] = 63
  for (const c of " \t\n\r\v\f") t[c.charCodeAt(0)] = SPACE
  t["=".charCodeAt(0)] = PADDING
  return t
})()

export type Base64Result =
  | { readonly ok: true; readonly bytes: Uint8Array }
  /** `character`: the invalid character met, when that is what is wrong. */
  | { readonly ok: false; readonly reason: string; readonly character?: string }

/** Decodes base64 ignoring whitespace; padding is optional, but nothing may follow it. */
export const decodeBase64 = (text: string): Base64Result => {
  const bytes = new TextEncoder().encode(text)
  return decodeBase64Bytes(bytes, 0, bytes.length)
}

/**
 * `decodeBase64` over `bytes[start, end)`, ASCII codes (UTF-8 text): no string is made of the input.
 * Offsets in the reasons are byte offsets from `start`.
 */
export const decodeBase64Bytes = (bytes: Uint8Array, start: number, end: number): Base64Result => {
  const out = new Uint8Array(Math.floor(((end - start) * 3) / 4) + 3)
  let n = 0
  let acc = 0
  let bits = 0
  let count = 0
  let padding = 0
  for (let i = start; i < end; i++) {
    const c = bytes[i]!
    // One table look-up decides: a digit, whitespace, padding or an invalid character.
    const v = c < 128 ? decodeTable[c]! : -1
    if (v < 0) {
      if (v === SPACE) continue
      if (v === PADDING) {
        padding++
        continue
      }
      const character = characterAt(bytes, i, end)
      return {
        ok: false,
        reason: `invalid base64 character ${JSON.stringify(character)} at offset ${i - start}`,
        character
      }
    }
    if (padding > 0) return { ok: false, reason: `base64 data after padding at offset ${i - start}` }
    acc = (acc << 6) | v
    bits += 6
    count++
    if (bits >= 8) {
      bits -= 8
      out[n++] = (acc >> bits) & 0xff
    }
  }
  if (count % 4 === 1) return { ok: false, reason: "truncated base64 (length is not valid)" }
  if (padding > 2 || (padding > 0 && (count + padding) % 4 !== 0)) {
    return { ok: false, reason: "invalid base64 padding" }
  }
  return { ok: true, bytes: out.slice(0, n) }
}

/** The (UTF-8) character at `i`, for a message. */
const characterAt = (bytes: Uint8Array, i: number, end: number): string => {
  const c = bytes[i]!
  if (c < 0x80) return String.fromCharCode(c)
  const length = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1
  return [...new TextDecoder().decode(bytes.subarray(i, Math.min(end, i + length)))][0] ?? "\uFFFD"
}

const STD_CODES = Uint8Array.from(STD, (c) => c.charCodeAt(0))
const NEWLINE = 0x0a
const PAD = 0x3d

/** Writes the base64 of `bytes[from, to)` at `out[o]`; `to - from` is a multiple of 3 unless it is the end. */
const encodeRun = (bytes: Uint8Array, from: number, to: number, out: Uint8Array, o: number): number => {
  let i = from
  for (; i + 2 < to; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!
    out[o] = STD_CODES[v >> 18]!
    out[o + 1] = STD_CODES[(v >> 12) & 63]!
    out[o + 2] = STD_CODES[(v >> 6) & 63]!
    out[o + 3] = STD_CODES[v & 63]!
    o += 4
  }
  if (i < to) {
    const v = (bytes[i]! << 16) | (i + 1 < to ? bytes[i + 1]! << 8 : 0)
    out[o] = STD_CODES[v >> 18]!
    out[o + 1] = STD_CODES[(v >> 12) & 63]!
    out[o + 2] = i + 1 < to ? STD_CODES[(v >> 6) & 63]! : PAD
    out[o + 3] = PAD
    o += 4
  }
  return o
}

/**
 * The base64 of `bytes`, written as ASCII codes into one buffer and decoded once (linear in time and
 * memory), with "\n" after every 64 characters and at the end when `pem` is set.
 */
const encode = (bytes: Uint8Array, pem: boolean): string => {
  const chars = 4 * Math.ceil(bytes.length / 3)
  const out = new Uint8Array(chars + (pem ? Math.ceil(chars / 64) : 0))
  if (!pem) {
    encodeRun(bytes, 0, bytes.length, out, 0)
  } else {
    // 48 bytes make one 64-character line.
    let o = 0
    for (let i = 0; i < bytes.length; i += 48) {
      o = encodeRun(bytes, i, Math.min(i + 48, bytes.length), out, o)
      out[o++] = NEWLINE
    }
  }
  return fromAsciiCodes(out)
}

export const encodeBase64 = (bytes: Uint8Array): string => encode(bytes, false)

/** PEM armour with 64-column lines and "\n" line ends. */
export const toPem = (label: string, der: Uint8Array): string =>
  `-----BEGIN ${label}-----\n${encode(der, true)}-----END ${label}-----\n`
