/**
 * Turns a fingerprint or serial number typed or pasted by a user (any case, separators, base64url
 * `x5t` / `x5t#S256`, prefixes, decimal serials) into the canonical forms the facts carry, so a store
 * can index `sha1`, `sha256` and `serial.hex` and answer every spelling. Ambiguous input returns
 * every plausible reading, most likely first.
 */
import { decodeBase64 } from "./Base64.js"
import { hex } from "./Der.js"

export type LookupKind = "sha1" | "sha256" | "serial"

export interface LookupCandidate {
  readonly kind: LookupKind
  /** Uppercase hex: the full digest for sha1/sha256; `SerialNumber.hex` form for a serial. */
  readonly value: string
  /** How the text was read. */
  readonly from: "hex" | "decimal" | "base64url"
}

export interface LookupError {
  readonly code: "EmptyLookup" | "InvalidLookup"
  readonly message: string
}

export type LookupOutcome =
  | { readonly _tag: "Normalized"; readonly candidates: ReadonlyArray<LookupCandidate> }
  | { readonly _tag: "Failed"; readonly error: LookupError }

/** Longest input considered: a SHA-256 with separators plus a prefix fits easily; junk is refused early. */
const MAX_LOOKUP_LENGTH = 512

const PREFIXES: ReadonlyArray<readonly [RegExp, LookupKind | "x5t" | "x5t#S256" | undefined]> = [
  [/^x5t#s256\s*[:=]\s*/i, "x5t#S256"],
  [/^x5t\s*[:=]\s*/i, "x5t"],
  [/^sha-?256\s*(?:fingerprint)?\s*[:=]\s*/i, "sha256"],
  [/^sha-?1\s*(?:fingerprint)?\s*[:=]\s*/i, "sha1"],
  [/^(?:thumbprint|fingerprint)\s*[:=]\s*/i, undefined],
  [/^(?:serial(?:[ _-]?number)?|sn)\s*[:=]\s*/i, "serial"]
]

const fail = (code: LookupError["code"], message: string): LookupOutcome => ({
  _tag: "Failed",
  error: { code, message }
})

const serialHex = (magnitudeHex: string, negative: boolean): string => {
  const stripped = magnitudeHex.replace(/^0+(?=.)/, "")
  return negative && stripped !== "0" ? `-${stripped}` : stripped
}

export const normalizeLookup = (text: string): LookupOutcome => {
  if (text.length > MAX_LOOKUP_LENGTH)
    return fail("InvalidLookup", `look-up text longer than ${MAX_LOOKUP_LENGTH} characters`)
  let s = text.trim()
  if (s === "") return fail("EmptyLookup", "empty look-up text")
  let hint: LookupKind | "x5t" | "x5t#S256" | undefined
  for (const [re, kind] of PREFIXES) {
    const m = re.exec(s)
    if (m) {
      hint = kind
      s = s.slice(m[0].length).trim()
      break
    }
  }
  if (s === "") return fail("EmptyLookup", "nothing after the prefix")

  if (hint === "x5t" || hint === "x5t#S256") {
    const c = fromBase64url(s, hint === "x5t" ? "sha1" : "sha256")
    return c === undefined
      ? fail(
          "InvalidLookup",
          `${hint} must be the base64url of a ${hint === "x5t" ? "20" : "32"}-byte digest`
        )
      : { _tag: "Normalized", candidates: [c] }
  }

  const candidates: LookupCandidate[] = []
  const negative = s.startsWith("-")
  let body = negative ? s.slice(1).trim() : s
  const hexOnly = /^0x/i.test(body)
  if (hexOnly) body = body.slice(2)

  // Hex, optionally with one kind of separator between bytes ("AB:CD", "ab cd", "AB-CD").
  const hexDigits = /^[0-9a-fA-F]+$/.test(body)
    ? body
    : /^[0-9a-fA-F]{1,2}(?:([:\s-])[0-9a-fA-F]{2})+$/.test(body) && new Set(body.match(/[:\s-]+/g)).size <= 1
      ? body.replace(/[:\s-]+/g, "")
      : undefined
  const isDecimal = !hexOnly && /^[0-9]+$/.test(body)

  if (hexDigits !== undefined) {
    const upper = hexDigits.toUpperCase()
    if (!negative && hint !== "serial") {
      if (upper.length === 40 && hint !== "sha256")
        candidates.push({ kind: "sha1", value: upper, from: "hex" })
      if (upper.length === 64 && hint !== "sha1")
        candidates.push({ kind: "sha256", value: upper, from: "hex" })
      if ((hint === "sha1" || hint === "sha256") && candidates.length === 0) {
        return fail(
          "InvalidLookup",
          `a ${hint} fingerprint has ${hint === "sha1" ? 40 : 64} hex digits, found ${upper.length}`
        )
      }
    }
    if (hint !== "sha1" && hint !== "sha256") {
      // Decimal reading first for digit-only text of no digest length: people copy decimal serials
      // from Java / Huawei consoles, while hex serials almost always contain a letter.
      const decimalFirst = isDecimal && candidates.length === 0
      const fromHex: LookupCandidate = { kind: "serial", value: serialHex(upper, negative), from: "hex" }
      if (isDecimal && hexDigits === body) {
        const dec: LookupCandidate = {
          kind: "serial",
          value: serialHex(BigInt(body).toString(16).toUpperCase(), negative),
          from: "decimal"
        }
        if (decimalFirst) candidates.push(dec, fromHex)
        else candidates.push(fromHex, dec)
      } else {
        candidates.push(fromHex)
      }
    }
  } else if (!negative && hint !== "serial") {
    const fromB64 =
      (hint === undefined || hint === "sha1" ? fromBase64url(body, "sha1") : undefined) ??
      (hint === undefined || hint === "sha256" ? fromBase64url(body, "sha256") : undefined)
    if (fromB64 !== undefined) candidates.push(fromB64)
  }
  if (candidates.length === 0) {
    return fail(
      "InvalidLookup",
      "not a SHA-1 / SHA-256 fingerprint or a serial number (hex, decimal or base64url)"
    )
  }
  return { _tag: "Normalized", candidates: dedupe(candidates) }
}

const fromBase64url = (s: string, kind: "sha1" | "sha256"): LookupCandidate | undefined => {
  if (!/^[A-Za-z0-9_\-+/]+={0,2}$/.test(s)) return undefined
  const decoded = decodeBase64(s)
  if (!decoded.ok) return undefined
  const expected = kind === "sha1" ? 20 : 32
  if (decoded.bytes.length !== expected) return undefined
  return { kind, value: hex(decoded.bytes), from: "base64url" }
}

const dedupe = (cs: LookupCandidate[]): LookupCandidate[] =>
  cs.filter((c, i) => cs.findIndex((d) => d.kind === c.kind && d.value === c.value) === i)
