/**
 * Reads an X.501 Name into its facts: the RDNs as encoded, an RFC 4514 string, and the exact string
 * Java 17's X500Principal.getName() prints (the Huawei wire format is specified by that method, so
 * its quirks are reproduced on purpose: see `javaRfc2253`).
 */
import type { DistinguishedName, RdnAttribute } from "./CertificateFacts.js"
import { children, content, DerError, decodeOid, describe, hex, Tag, TagClass, type Tlv } from "./Der.js"
import { attributeShortNames, javaRfc2253Keywords } from "./Oids.js"

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

const latin1 = (bytes: Uint8Array): string => {
  let s = ""
  for (const b of bytes) s += String.fromCharCode(b)
  return s
}

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
      let s = ""
      for (let i = 0; i < c.length; i += 2) s += String.fromCharCode((c[i]! << 8) | c[i + 1]!)
      return s
    }
    case Tag.UniversalString: {
      if (c.length % 4 !== 0) throw new DerError(path, "UniversalString length is not a multiple of 4")
      let s = ""
      for (let i = 0; i < c.length; i += 4) {
        const cp = ((c[i]! << 24) | (c[i + 1]! << 16) | (c[i + 2]! << 8) | c[i + 3]!) >>> 0
        if (cp > 0x10ffff) throw new DerError(path, "UniversalString code point out of range")
        s += String.fromCodePoint(cp)
      }
      return s
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

export const parseName = (tlv: Tlv, path: string, warnings: string[]): DistinguishedName => {
  if (tlv.cls !== TagClass.Universal || tlv.tag !== Tag.Sequence) {
    throw new DerError(path, `expected Name (SEQUENCE), found ${describe(tlv)}`)
  }
  const rdns: Ava[][] = []
  const seq = children(tlv, path)
  for (let i = 0; !seq.done; i++) {
    const setPath = `${path}.rdn[${i}]`
    const set = seq.next(`rdn[${i}]`)
    if (set.cls !== TagClass.Universal || set.tag !== Tag.Set) {
      throw new DerError(setPath, `expected SET, found ${describe(set)}`)
    }
    const rdn: Ava[] = []
    const members = children(set, setPath)
    for (let j = 0; !members.done; j++) {
      const avaPath = `${setPath}[${j}]`
      const ava = members.expect(Tag.Sequence, `[${j}]`)
      const fields = children(ava, avaPath)
      const oid = decodeOid(fields.next("type"), `${avaPath}.type`)
      const valueTlv = fields.next("value")
      fields.end()
      rdn.push({ oid, valueTlv, text: decodeDirectoryString(valueTlv, `${avaPath}.value`) })
    }
    // SET SIZE (1..MAX) says this cannot happen, yet OpenSSL loads such names (zlint has 150 of them).
    if (rdn.length === 0) warnings.push(`${setPath}: empty RDN (SET with no attribute)`)
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
export const escapeRfc4514 = (value: string): string => {
  let out = ""
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!
    const code = c.charCodeAt(0)
    if (c === '"' || c === "+" || c === "," || c === ";" || c === "<" || c === ">" || c === "\\")
      out += `\\${c}`
    else if ((c === "#" || c === " ") && i === 0) out += `\\${c}`
    else if (c === " " && i === value.length - 1) out += "\\ "
    else if (code < 0x20 || code === 0x7f) out += `\\${code.toString(16).toUpperCase().padStart(2, "0")}`
    else out += c
  }
  return out
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

const isJavaPrintable = (c: string): boolean => /[A-Za-z0-9 '()+,\-./:=?]/.test(c)

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
  let buffer = ""
  for (const c of valStr.split("")) {
    if (isJavaPrintable(c) || JAVA_ESCAPEES.includes(c)) {
      if (JAVA_ESCAPEES.includes(c)) buffer += "\\"
      buffer += c
    } else if (c === "\u0000") {
      buffer += "\\00"
    } else {
      buffer += c
    }
  }
  let lead = 0
  while (lead < buffer.length && (buffer[lead] === " " || buffer[lead] === "\r")) lead++
  let trail = buffer.length - 1
  while (trail >= 0 && (buffer[trail] === " " || buffer[trail] === "\r")) trail--
  let out = ""
  for (let i = 0; i < buffer.length; i++) {
    if (i < lead || i > trail) out += "\\"
    out += buffer[i]
  }
  return out
}
