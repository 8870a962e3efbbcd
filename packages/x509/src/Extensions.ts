/**
 * Reads the extensions certory reports (SAN, key usage, EKU, basic constraints, SKI, AKI, CRL
 * distribution points, authority information access and the two Microsoft template extensions) and
 * lists every extension with its criticality. A malformed value inside a known extension is a
 * warning, not a failure: OpenSSL and Windows still load such a certificate, and an inventory must
 * still show it.
 */
import type { AccessDescription, Extensions, GeneralName, MicrosoftTemplate } from "./CertificateFacts.js"
import {
  children,
  content,
  DerError,
  decodeBitString,
  decodeBoolean,
  decodeOid,
  decodeSmallInteger,
  describe,
  hex,
  LimitError,
  readTlv,
  Tag,
  TagClass,
  type Tlv
} from "./Der.js"
import { decodeDirectoryString, type NameBudget, nameBudget, parseName } from "./DistinguishedName.js"
import { Limits } from "./Limits.js"
import { keyUsageNames, Oid } from "./Oids.js"
import { latin1 } from "./Text.js"

interface RawExtension {
  readonly oid: string
  readonly critical: boolean
  readonly value: Tlv
}

/** Parses the SEQUENCE inside the [3] wrapper. Structural errors here make the certificate invalid. */
export const parseExtensions = (
  seq: Tlv | undefined,
  path: string,
  warnings: string[],
  names: NameBudget = nameBudget()
): Extensions => {
  const raw: RawExtension[] = []
  // First occurrence of each OID: duplicates are found and known extensions looked up in constant time.
  const byOid = new Map<string, RawExtension>()
  if (seq !== undefined) {
    if (seq.cls !== TagClass.Universal || seq.tag !== Tag.Sequence) {
      throw new DerError(path, `expected SEQUENCE, found ${describe(seq)}`)
    }
    const list = children(seq, path)
    for (let i = 0; !list.done; i++) {
      if (i === Limits.maxExtensions) {
        throw new LimitError(path, `more than ${Limits.maxExtensions} extensions (limit)`)
      }
      const extPath = `${path}[${i}]`
      const ext = children(list.expect(Tag.Sequence, `[${i}]`), extPath)
      const oid = decodeOid(ext.next("extnID"), `${extPath}.extnID`)
      let critical = false
      const maybeBool = ext.peek()
      if (maybeBool && maybeBool.cls === TagClass.Universal && maybeBool.tag === Tag.Boolean) {
        critical = decodeBoolean(ext.next("critical"), `${extPath}.critical`, warnings)
        if (!critical) warnings.push(`${extPath}.critical: FALSE encoded explicitly (DER omits defaults)`)
      }
      const value = ext.expect(Tag.OctetString, "extnValue")
      ext.end()
      const extension = { oid, critical, value }
      if (byOid.has(oid)) warnings.push(`${extPath}: duplicate extension ${oid}`)
      else byOid.set(oid, extension)
      raw.push(extension)
    }
    if (raw.length === 0) warnings.push(`${path}: empty extensions list`)
  }

  const decode = <A>(oid: string, name: string, f: (inner: Tlv, p: string) => A): A | undefined => {
    const ext = byOid.get(oid)
    if (ext === undefined) return undefined
    const p = `extension ${name} (${oid})`
    try {
      const inner = readTlv(ext.value.bytes, ext.value.contentStart, ext.value.end, p)
      if (inner.end !== ext.value.end)
        throw new DerError(p, `${ext.value.end - inner.end} bytes after the value`)
      return f(inner, p)
    } catch (e) {
      if (e instanceof DerError) {
        warnings.push(`${e.message} (ignored)`)
        return undefined
      }
      throw e
    }
  }

  const templateInfo = decode(Oid.msTemplateInfo, "certificateTemplate", (t, p) =>
    parseTemplateInfo(t, p, warnings)
  )
  const templateName = decode(Oid.msTemplateName, "enrollCertType", parseTemplateName)
  const microsoftTemplate: MicrosoftTemplate | undefined =
    templateInfo === undefined && templateName === undefined
      ? undefined
      : {
          oid: templateInfo?.oid,
          majorVersion: templateInfo?.majorVersion,
          minorVersion: templateInfo?.minorVersion,
          name: templateName
        }

  return {
    subjectAltNames: decode(Oid.subjectAltName, "subjectAltName", (t, p) =>
      parseGeneralNames(t, p, warnings, names)
    ),
    keyUsage: decode(Oid.keyUsage, "keyUsage", parseKeyUsage),
    extendedKeyUsage: decode(Oid.extKeyUsage, "extKeyUsage", parseExtKeyUsage),
    basicConstraints: decode(Oid.basicConstraints, "basicConstraints", (t, p) =>
      parseBasicConstraints(t, p, warnings)
    ),
    subjectKeyIdentifier: decode(Oid.subjectKeyIdentifier, "subjectKeyIdentifier", (t, p) => {
      if (t.cls !== TagClass.Universal || t.tag !== Tag.OctetString) {
        throw new DerError(p, `expected OCTET STRING, found ${describe(t)}`)
      }
      return hex(content(t))
    }),
    authorityKeyIdentifier: decode(Oid.authorityKeyIdentifier, "authorityKeyIdentifier", (t, p) => {
      const fields = children(t, p)
      const keyId = fields.optionalContext(0, "keyIdentifier")
      return keyId === undefined ? undefined : hex(content(keyId))
    }),
    crlDistributionPoints: decode(Oid.crlDistributionPoints, "cRLDistributionPoints", (t, p) =>
      parseCrlDistributionPoints(t, p, warnings, names)
    ),
    authorityInfoAccess: decode(Oid.authorityInfoAccess, "authorityInfoAccess", (t, p) =>
      parseAuthorityInfoAccess(t, p, warnings, names)
    ),
    microsoftTemplate,
    all: raw.map((r) => ({ oid: r.oid, critical: r.critical }))
  }
}

const tooManyNames = (p: string): LimitError =>
  new LimitError(p, `more than ${Limits.maxNamesPerExtension} entries (limit)`)

const parseKeyUsage = (t: Tlv, p: string): string[] => {
  const { bits, unused } = decodeBitString(t, p)
  const names: string[] = []
  const total = bits.length * 8 - unused
  for (let i = 0; i < Math.min(total, keyUsageNames.length); i++) {
    if (bits[i >> 3]! & (0x80 >> (i & 7))) names.push(keyUsageNames[i]!)
  }
  return names
}

const parseExtKeyUsage = (t: Tlv, p: string): string[] => {
  const list = children(t, p)
  const oids: string[] = []
  for (let i = 0; !list.done; i++) {
    if (i === Limits.maxNamesPerExtension) throw tooManyNames(p)
    oids.push(decodeOid(list.next(`[${i}]`), `${p}[${i}]`))
  }
  return oids
}

const parseBasicConstraints = (
  t: Tlv,
  p: string,
  warnings: string[]
): { ca: boolean; pathLength: number | undefined } => {
  const fields = children(t, p)
  let ca = false
  let pathLength: number | undefined
  const maybeBool = fields.peek()
  if (maybeBool && maybeBool.cls === TagClass.Universal && maybeBool.tag === Tag.Boolean) {
    ca = decodeBoolean(fields.next("cA"), `${p}.cA`, warnings)
  }
  if (!fields.done) {
    const tlv = fields.expect(Tag.Integer, "pathLenConstraint")
    // An out-of-range path length must not hide that the certificate is a CA: keep cA, drop the length.
    try {
      pathLength = decodeSmallInteger(tlv, `${p}.pathLenConstraint`)
    } catch (e) {
      if (!(e instanceof DerError)) throw e
      warnings.push(`${e.message} (path length ignored)`)
    }
  }
  fields.end()
  return { ca, pathLength }
}

/**
 * Template versions are 32-bit unsigned in Windows (DWORD): a value outside that range is dropped with
 * a warning, so every fact stays a safe integer, while the template OID is kept.
 */
const parseTemplateVersion = (tlv: Tlv, p: string, warnings: string[]): number | undefined => {
  try {
    return decodeSmallInteger(tlv, p, 0xffffffff)
  } catch (e) {
    if (!(e instanceof DerError)) throw e
    warnings.push(`${e.message}: not a 32-bit unsigned template version (ignored)`)
    return undefined
  }
}

const parseTemplateInfo = (
  t: Tlv,
  p: string,
  warnings: string[]
): { oid: string; majorVersion: number | undefined; minorVersion: number | undefined } => {
  const fields = children(t, p)
  const oid = decodeOid(fields.next("templateID"), `${p}.templateID`)
  const major = fields.done ? undefined : fields.expect(Tag.Integer, "templateMajorVersion")
  const minor = fields.done ? undefined : fields.expect(Tag.Integer, "templateMinorVersion")
  fields.end()
  return {
    oid,
    majorVersion: major === undefined ? undefined : parseTemplateVersion(major, `${p}.major`, warnings),
    minorVersion: minor === undefined ? undefined : parseTemplateVersion(minor, `${p}.minor`, warnings)
  }
}

/** The spec says UTF8String; AD CS writes a bare BMPString. Any directory string type is accepted. */
const parseTemplateName = (t: Tlv, p: string): string => {
  const text = decodeDirectoryString(t, p)
  if (text === undefined) throw new DerError(p, `expected a string, found ${describe(t)}`)
  return text
}

const ip = (bytes: Uint8Array): string => {
  if (bytes.length === 4) return Array.from(bytes).join(".")
  if (bytes.length === 16) {
    const groups: string[] = []
    for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16))
    // RFC 5952: compress the longest run (of at least two) of zero groups.
    let best = -1
    let bestLen = 1
    for (let i = 0; i < 8; ) {
      if (groups[i] !== "0") {
        i++
        continue
      }
      let j = i
      while (j < 8 && groups[j] === "0") j++
      if (j - i > bestLen) {
        best = i
        bestLen = j - i
      }
      i = j
    }
    if (best < 0) return groups.join(":")
    return `${groups.slice(0, best).join(":")}::${groups.slice(best + bestLen).join(":")}`
  }
  // Address + mask (the name-constraints form, invalid in a SAN) as CIDR; anything else as hex.
  if (bytes.length === 8 || bytes.length === 32) {
    const half = bytes.length / 2
    const prefix = maskLength(bytes.subarray(half))
    if (prefix !== undefined) return `${ip(bytes.subarray(0, half))}/${prefix}`
  }
  return hex(bytes)
}

const maskLength = (mask: Uint8Array): number | undefined => {
  let bits = 0
  let ended = false
  for (const b of mask) {
    for (let i = 7; i >= 0; i--) {
      const set = (b >> i) & 1
      if (set && ended) return undefined
      if (set) bits++
      else ended = true
    }
  }
  return bits
}

/** IA5String bytes as characters, one per byte (Latin-1 for the bytes above 0x7F, as before). */
const ascii = latin1

/**
 * A GeneralNames SEQUENCE (or an IMPLICIT [n] one: only the contents are read). `max` is how many
 * entries may still be taken: a list made of several GeneralNames (the distribution points) shares one cap.
 */
export const parseGeneralNames = (
  t: Tlv,
  p: string,
  warnings: string[],
  budget: NameBudget = nameBudget(),
  max: number = Limits.maxNamesPerExtension
): GeneralName[] => {
  const list = children(t, p)
  const names: GeneralName[] = []
  for (let i = 0; !list.done; i++) {
    if (i === max) throw tooManyNames(p)
    names.push(parseGeneralName(list.next(`[${i}]`), `${p}[${i}]`, warnings, budget))
  }
  return names
}

/** One GeneralName (a context-tagged CHOICE). */
const parseGeneralName = (n: Tlv, np: string, warnings: string[], budget: NameBudget): GeneralName => {
  if (n.cls !== TagClass.Context) throw new DerError(np, `expected a GeneralName, found ${describe(n)}`)
  switch (n.tag) {
    case 0: {
      const fields = children(n, np)
      const typeId = decodeOid(fields.next("type-id"), `${np}.type-id`)
      const wrapped = fields.next("value")
      if (typeId === Oid.msUpn && wrapped.cls === TagClass.Context && wrapped.tag === 0) {
        const inner = readTlv(wrapped.bytes, wrapped.contentStart, wrapped.end, `${np}.value`)
        const text = decodeDirectoryString(inner, `${np}.value`)
        if (text !== undefined) return { type: "upn", value: text }
      }
      return { type: "other", value: `${typeId}:#${hex(wrapped.bytes.subarray(wrapped.start, wrapped.end))}` }
    }
    case 1:
      return { type: "email", value: ascii(content(n)) }
    case 2:
      return { type: "dns", value: ascii(content(n)) }
    case 4: {
      const inner = readTlv(n.bytes, n.contentStart, n.end, `${np}.directoryName`)
      return {
        type: "directoryName",
        value: parseName(inner, `${np}.directoryName`, warnings, budget).rfc4514
      }
    }
    case 6:
      return { type: "uri", value: ascii(content(n)) }
    case 7:
      return { type: "ip", value: ip(content(n)) }
    case 8: {
      const asOid: Tlv = { ...n, cls: TagClass.Universal, tag: Tag.Oid, constructed: false }
      return { type: "registeredId", value: decodeOid(asOid, np) }
    }
    default:
      return { type: "other", value: `[${n.tag}]#${hex(n.bytes.subarray(n.start, n.end))}` }
  }
}

/**
 * CRLDistributionPoints (RFC 5280 4.2.1.13): the fullName GeneralNames of every DistributionPoint, in
 * order, as one list. A nameRelativeToCRLIssuer, the reasons and the cRLIssuer are not read (their
 * encodings are stepped over, not checked). At most `Limits.maxNamesPerExtension` distribution points
 * and as many names in all.
 */
const parseCrlDistributionPoints = (
  t: Tlv,
  p: string,
  warnings: string[],
  budget: NameBudget
): GeneralName[] => {
  const points = children(t, p)
  const names: GeneralName[] = []
  for (let i = 0; !points.done; i++) {
    if (i === Limits.maxNamesPerExtension) throw tooManyNames(p)
    const dpPath = `${p}[${i}]`
    const point = children(points.expect(Tag.Sequence, `[${i}]`), dpPath)
    const name = point.optionalContext(0, "distributionPoint")
    point.optionalContext(1, "reasons")
    point.optionalContext(2, "cRLIssuer")
    point.end()
    if (name === undefined) continue
    // [0] is EXPLICIT (DistributionPointName is a CHOICE); fullName [0] and the relative name [1] are IMPLICIT.
    const choice = children(name, `${dpPath}.distributionPoint`)
    const which = choice.next("name")
    choice.end()
    if (which.cls === TagClass.Context && which.tag === 0) {
      const full = parseGeneralNames(
        which,
        `${dpPath}.fullName`,
        warnings,
        budget,
        Limits.maxNamesPerExtension - names.length
      )
      for (const n of full) names.push(n)
    } else if (which.cls !== TagClass.Context || which.tag !== 1) {
      throw new DerError(
        `${dpPath}.distributionPoint`,
        `expected fullName [0] or nameRelativeToCRLIssuer [1], found ${describe(which)}`
      )
    }
  }
  return names
}

/** AuthorityInfoAccessSyntax (RFC 5280 4.2.2.1): every AccessDescription, in order (at most `Limits.maxNamesPerExtension`). */
const parseAuthorityInfoAccess = (
  t: Tlv,
  p: string,
  warnings: string[],
  budget: NameBudget
): AccessDescription[] => {
  const list = children(t, p)
  const out: AccessDescription[] = []
  for (let i = 0; !list.done; i++) {
    if (i === Limits.maxNamesPerExtension) throw tooManyNames(p)
    const ap = `${p}[${i}]`
    const fields = children(list.expect(Tag.Sequence, `[${i}]`), ap)
    const method = decodeOid(fields.next("accessMethod"), `${ap}.accessMethod`)
    const location = parseGeneralName(fields.next("accessLocation"), `${ap}.accessLocation`, warnings, budget)
    fields.end()
    out.push({ method, location })
  }
  return out
}
