/**
 * Base64 (standard and URL-safe alphabets) and PEM armour. Written here rather than using atob/btoa
 * so a bad character is reported with its position and the same code runs in Node and workerd.
 */

const STD = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

const decodeTable = (() => {
  const t = new Int16Array(128).fill(-1)
  for (let i = 0; i < 64; i++) t[STD.charCodeAt(i)] = i
  // URL-safe alphabet (x5t thumbprints) decodes with the same table.
  t["-".charCodeAt(0)] = 62
  t["_".charCodeAt(0)] = 63
  return t
})()

const isSpace = (c: number): boolean =>
  c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0b || c === 0x0c

export type Base64Result =
  | { readonly ok: true; readonly bytes: Uint8Array }
  | { readonly ok: false; readonly reason: string }

/** Decodes base64 ignoring whitespace; padding is optional, but nothing may follow it. */
export const decodeBase64 = (text: string): Base64Result => {
  const out = new Uint8Array(Math.floor((text.length * 3) / 4) + 3)
  let n = 0
  let acc = 0
  let bits = 0
  let count = 0
  let padding = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (isSpace(c)) continue
    if (c === 0x3d) {
      padding++
      continue
    }
    const v = c < 128 ? decodeTable[c]! : -1
    if (v < 0) {
      return { ok: false, reason: `invalid base64 character ${JSON.stringify(text[i])} at offset ${i}` }
    }
    if (padding > 0) return { ok: false, reason: `base64 data after padding at offset ${i}` }
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

export const encodeBase64 = (bytes: Uint8Array): string => {
  let s = ""
  let i = 0
  for (; i + 2 < bytes.length; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!
    s += STD[v >> 18]! + STD[(v >> 12) & 63]! + STD[(v >> 6) & 63]! + STD[v & 63]!
  }
  if (i < bytes.length) {
    const v = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8)
    s += STD[v >> 18]! + STD[(v >> 12) & 63]!
    s += i + 1 < bytes.length ? `${STD[(v >> 6) & 63]!}=` : "=="
  }
  return s
}

/** PEM armour with 64-column lines and "\n" line ends. */
export const toPem = (label: string, der: Uint8Array): string => {
  const b64 = encodeBase64(der)
  let body = ""
  for (let i = 0; i < b64.length; i += 64) body += `${b64.slice(i, i + 64)}\n`
  return `-----BEGIN ${label}-----\n${body}-----END ${label}-----\n`
}
