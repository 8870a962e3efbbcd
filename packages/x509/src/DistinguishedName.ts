/**
 * Reads an X.501 Name into its facts: the RDNs as encoded, an RFC 4514 string, and the exact string
 * Java 17's X500Principal.getName() prints (the Huawei wire format is specified by that method, so
 * its quirks are reproduced on purpose: see `javaRfc2253`).
 */
import type { DistinguishedName, RdnAttribute } from "./CertificateFacts.js"
import {
  children,
  content,
  DerError,
  decodeOid,
  describe,
  hex,
  LimitError,
  Tag,
  TagClass,
  type Tlv
} from "./Der.js"
import { Limits } from "./Limits.js"
import { attributeShortNames, javaRfc2253Keywords } from "./Oids.js"
import { CodeUnits, fromCodePoints, fromCodeUnits, latin1 } from "./Text.js"

const stringTypes: Readonly<Record<number, string>> = {
  [Tag.Utf8String]: "UTF8String",
  [Tag.PrintableString]: "PrintableString",
  [Tag.Ia5String]: "IA5String",
  [Tag.BmpString]: "BMPString",
  [Tag.TeletexString]: "TeletexString",
  [Tag.UniversalString]: "UniversalString",
  [Tag.VisibleString]: "VisibleString",
  [Tag.NumericString]: "NumericString"
}

const utf8 = new TextDecoder("utf-8", { fatal: true })

/**
 * The text of a directory string, or undefined when the value is not a string type. Malformed
 * UTF8String / BMPString / UniversalString contents are errors, as they are for OpenSSL.
 */
export const decodeDirectoryString = (tlv: Tlv, path: string): string | undefined => {
  if (tlv.cls !== TagClass.Universal || tlv.constructed) return undefined
  const c = content(tlv)
  switch (tlv.tag) {
    case Tag.Utf8String:
      try {
        return utf8.decode(c)
      } catch {
        throw new DerError(path, "UTF8String is not valid UTF-8")
      }
    case Tag.BmpString: {
      if (c.length % 2 !== 0) throw new DerError(path, "BMPString of odd length")
      const units = new Uint16Array(c.length / 2)
      for (let i = 0; i < units.length; i++) units[i] = (c[2 * i]! << 8) | c[2 * i + 1]!
      return fromCodeUnits(units)
    }
    case Tag.UniversalString: {
      if (c.length % 4 !== 0) throw new DerError(path, "UniversalString length is not a multiple of 4")
      const points = new Uint32Array(c.length / 4)
      for (let i = 0; i < points.length; i++) {
        const cp = ((c[4 * i]! << 24) | (c[4 * i + 1]! << 16) | (c[4 * i + 2]! << 8) | c[4 * i + 3]!) >>> 0
        if (cp > 0x10ffff) throw new DerError(path, "UniversalString code point out of range")
        points[i] = cp
      }
      return fromCodePoints(points)
    }
    case Tag.PrintableString:
    case Tag.Ia5String:
    case Tag.VisibleString:
    case Tag.NumericString:
    case Tag.TeletexString:
    case Tag.VideotexString:
    case Tag.GraphicString:
    case Tag.GeneralString:
      // T61 is read as Latin-1, as OpenSSL and Java both do.
      return latin1(c)
    default:
      return undefined
  }
}

interface Ava {
  readonly oid: string
  readonly valueTlv: Tlv
  readonly text: string | undefined
}

/**
 * What is left of one certificate's allowance of attribute value octets, across all its names
 * (subject, issuer, directoryNames): escaping and joining them is the costliest work per byte.
 */
export interface NameBudget {
  bytes: number
}

export const nameBudget = (): NameBudget => ({ bytes: Limits.maxNameBytes })

export const parseName = (
  tlv: Tlv,
  path: string,
  warnings: string[],
  budget: NameBudget = nameBudget()
): DistinguishedName => {
  if (tlv.cls !== TagClass.Universal || tlv.tag !== Tag.Sequence) {
    throw new DerError(path, `expected Name (SEQUENCE), found ${describe(tlv)}`)
  }
  const rdns: Ava[][] = []
  const seq = children(tlv, path)
  let attributes = 0
  for (let i = 0; !seq.done; i++) {
    const setPath = `${path}.rdn[${i}]`
    const set = seq.next(`rdn[${i}]`)
    if (set.cls !== TagClass.Universal || set.tag !== Tag.Set) {
      throw new DerError(setPath, `expected SET, found ${describe(set)}`)
    }
    const rdn: Ava[] = []
    const members = children(set, setPath)
    for (let j = 0; !members.done; j++) {
      if (++attributes > Limits.maxNameAttributes) {
        throw new LimitError(path, `more than ${Limits.maxNameAttributes} attributes (limit)`)
      }
      const avaPath = `${setPath}[${j}]`
      const ava = members.expect(Tag.Sequence, `[${j}]`)
      const fields = children(ava, avaPath)
      const oid = decodeOid(fields.next("type"), `${avaPath}.type`)
      const valueTlv = fields.next("value")
      fields.end()
      budget.bytes -= valueTlv.end - valueTlv.contentStart
      if (budget.bytes < 0) {
        throw new LimitError(
          path,
          `names with more than ${Limits.maxNameBytes} octets of attribute values in one certificate (limit)`
        )
      }
      rdn.push({ oid, valueTlv, text: decodeDirectoryString(valueTlv, `${avaPath}.value`) })
    }
    // SET SIZE (1..MAX) says this cannot happen, yet OpenSSL loads such names (zlint has 150 of them).
    if (rdn.length === 0) {
      // Empty RDNs cost a warning each: they count against the same cap.
      if (++attributes > Limits.maxNameAttributes) {
        throw new LimitError(path, `more than ${Limits.maxNameAttributes} attributes (limit)`)
      }
      warnings.push(`${setPath}: empty RDN (SET with no attribute)`)
    }
    rdns.push(rdn)
  }
  return {
    // Empty RDNs are left out, as OpenSSL does; Java prints them as empty strings (",CN=...").
    rfc4514: rdns
      .filter((rdn) => rdn.length > 0)
      .reverse()
      // OpenSSL reverses a multi-valued RDN too; following it keeps one well-known spelling.
      .map((rdn) => rdn.map(rfc4514Ava).reverse().join("+"))
      .join(","),
    rfc2253: rdns
      .slice()
      .reverse()
      .map((rdn) => rdn.map(javaRfc2253Ava).join("+"))
      .join(","),
    rdns: rdns.map((rdn) =>
      rdn.map(
        (ava): RdnAttribute => ({
          oid: ava.oid,
          shortName: attributeShortNames[ava.oid],
          value: ava.text ?? `#${hex(ava.valueTlv.bytes.subarray(ava.valueTlv.start, ava.valueTlv.end))}`,
          stringType:
            ava.valueTlv.cls === TagClass.Universal ? (stringTypes[ava.valueTlv.tag] ?? "other") : "other"
        })
      )
    )
  }
}

const derHex = (tlv: Tlv): string => hex(tlv.bytes.subarray(tlv.start, tlv.end))

/** RFC 4514 section 2.4, with control characters hex-escaped (as OpenSSL's RFC 2253 mode does). */
/** What RFC 4514 escaping turns the code unit at `i` into: 0 unchanged, 1 "\\" + it, 2 "\\XX". */
const rfc4514Escape = (code: number, i: number, last: number): 0 | 1 | 2 => {
  switch (code) {
    case 0x22: // "
    case 0x2b: // +
    case 0x2c: // ,
    case 0x3b: // ;
    case 0x3c: // <
    case 0x3e: // >
    case 0x5c: // \
      return 1
    case 0x23: // # (leading)
      return i === 0 ? 1 : 0
    case 0x20: // space (leading or trailing)
      return i === 0 || i === last ? 1 : 0
    default:
      return code < 0x20 || code === 0x7f ? 2 : 0
  }
}

const HEX_UPPER = "0123456789ABCDEF"

/** RFC 4514 section 2.4, with control characters hex-escaped (as OpenSSL's RFC 2253 mode does). */
export const escapeRfc4514 = (value: string): string => {
  const last = value.length - 1
  let first = 0
  while (first < value.length && rfc4514Escape(value.charCodeAt(first), first, last) === 0) first++
  if (first === value.length) return value
  // At most three units per input unit ("\\XX"): one buffer, linear in the value.
  const out = new CodeUnits(value.length * 3)
  out.copy(value, 0, first)
  for (let i = first; i < value.length; i++) {
    const code = value.charCodeAt(i)
    const kind = rfc4514Escape(code, i, last)
    if (kind === 0) {
      out.push(code)
    } else if (kind === 1) {
      out.push(0x5c)
      out.push(code)
    } else {
      out.push(0x5c)
      out.push(HEX_UPPER.charCodeAt(code >> 4))
      out.push(HEX_UPPER.charCodeAt(code & 15))
    }
  }
  return out.toString()
}

const rfc4514Ava = (ava: Ava): string => {
  const name = attributeShortNames[ava.oid]
  if (name === undefined || ava.text === undefined) return `${name ?? ava.oid}=#${derHex(ava.valueTlv)}`
  return `${name}=${escapeRfc4514(ava.text)}`
}

const javaDerStringTags: ReadonlySet<number> = new Set([
  Tag.PrintableString,
  Tag.TeletexString,
  Tag.Ia5String,
  Tag.GeneralString,
  Tag.BmpString,
  Tag.Utf8String
])

const JAVA_ESCAPEES = ',=+<>#;"\\'

/**
 * sun.security.x509.AVA.toRFC2253String of JDK 17: only the nine RFC 2253 keywords, any other type as
 * a dotted OID with "#" + lowercase hex of the DER value, and so is any value that is not one of
 * Java's six "DER string" types. Strings are decoded per type (PrintableString, IA5String and T61String
 * as Latin-1, as Java's DerValue.getAsString does), ",=+<>#;\"\\" escaped anywhere, NUL as "\00",
 * leading / trailing spaces and CRs escaped; nothing else (not even control characters) is escaped.
 */
export const javaRfc2253Ava = (ava: Ava): string => {
  const keyword = javaRfc2253Keywords[ava.oid]
  const v = ava.valueTlv
  if (
    keyword === undefined ||
    v.cls !== TagClass.Universal ||
    v.constructed ||
    !javaDerStringTags.has(v.tag)
  ) {
    return `${keyword ?? ava.oid}=#${derHex(v).toLowerCase()}`
  }
  return `${keyword}=${javaEscape(ava.text ?? "")}`
}

export const javaEscape = (valStr: string): string => {
  // Java escapes the escapees and writes NUL as \00, copies every other code unit, then escapes each
  // leading and trailing space or CR of that text. An escape starts with "\\" and ends with neither,
  // so those runs are the value's own: everything is done in one pass, into one buffer.
  const length = valStr.length
  let lead = 0
  while (lead < length && isSpaceOrCr(valStr.charCodeAt(lead))) lead++
  let trail = length
  while (trail > lead && isSpaceOrCr(valStr.charCodeAt(trail - 1))) trail--
  let first = lead
  while (first < trail && !isJavaEscaped(valStr.charCodeAt(first))) first++
  if (lead === 0 && trail === length && first === length) return valStr
  // At most three units per input unit ("\\00").
  const out = new CodeUnits(length * 3)
  for (let i = 0; i < lead; i++) {
    out.push(0x5c)
    out.push(valStr.charCodeAt(i))
  }
  out.copy(valStr, lead, first)
  for (let i = first; i < trail; i++) {
    const code = valStr.charCodeAt(i)
    if (code === 0) {
      out.push(0x5c)
      out.push(0x30)
      out.push(0x30)
    } else {
      if (isJavaEscaped(code)) out.push(0x5c)
      out.push(code)
    }
  }
  for (let i = trail; i < length; i++) {
    out.push(0x5c)
    out.push(valStr.charCodeAt(i))
  }
  return out.toString()
}

const isSpaceOrCr = (code: number): boolean => code === 0x20 || code === 0x0d

/** The characters Java escapes with a backslash anywhere in a value, and NUL (written as \00). */
const isJavaEscaped = (code: number): boolean => code < 128 && JAVA_ESCAPED[code] === 1

/** `JAVA_ESCAPEES` and NUL by code: one table look-up per character. */
const JAVA_ESCAPED = (() => {
  const table = new Uint8Array(128)
  table[0] = 1
  for (const c of JAVA_ESCAPEES) table[c.charCodeAt(0)] = 1
  return table
})()
