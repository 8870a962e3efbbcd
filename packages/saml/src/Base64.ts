/**
 * The base64 of a ds:X509Certificate (XML Schema base64Binary): the standard alphabet, XML whitespace
 * anywhere (metadata wraps and indents certificates), padding optional but only at the end. Written here
 * rather than with atob so a bad character is reported with its offset, and the same code runs in Node
 * and workerd.
 */

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
const SPACE = -2
const PAD = -3

/** Value of each ASCII code: 0-63 a digit, SPACE for XML whitespace, PAD for "=", -1 anything else. */
const TABLE = (() => {
  const t = new Int8Array(128).fill(-1)
  for (let i = 0; i < 64; i++) t[ALPHABET.charCodeAt(i)] = i
  for (const c of " \t\r\n") t[c.charCodeAt(0)] = SPACE
  t["=".charCodeAt(0)] = PAD
  return t
})()

export type Base64Result =
  | { readonly ok: true; readonly bytes: Uint8Array }
  | { readonly ok: false; readonly reason: string }

export const decodeBase64 = (text: string): Base64Result => {
  const out = new Uint8Array(Math.floor((text.length * 3) / 4) + 3)
  let n = 0
  let acc = 0
  let bits = 0
  let digits = 0
  let padding = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    const v = c < 128 ? TABLE[c]! : -1
    if (v === SPACE) continue
    if (v === PAD) {
      padding++
      continue
    }
    if (v < 0) {
      const ch = text.codePointAt(i)!
      const shown =
        ch >= 0x20 && ch < 0x7f ? JSON.stringify(String.fromCodePoint(ch)) : `U+${ch.toString(16)}`
      return { ok: false, reason: `invalid base64 character ${shown} at offset ${i}` }
    }
    if (padding > 0) return { ok: false, reason: `base64 data after padding at offset ${i}` }
    acc = ((acc << 6) | v) & 0xffffff
    bits += 6
    digits++
    if (bits >= 8) {
      bits -= 8
      out[n++] = (acc >> bits) & 0xff
    }
  }
  if (digits === 0) return { ok: false, reason: "empty (no base64 digits)" }
  if (digits % 4 === 1) return { ok: false, reason: "truncated base64 (a lone final digit)" }
  if (padding > 2 || (padding > 0 && (digits + padding) % 4 !== 0)) {
    return { ok: false, reason: "invalid base64 padding" }
  }
  return { ok: true, bytes: out.slice(0, n) }
}
