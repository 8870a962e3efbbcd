/**
 * Turns the DER of one certificate into CertificateFacts. The structure is checked as strictly as
 * OpenSSL checks it (so "valid" means the same thing to both); lenient-but-loadable forms are
 * accepted with a warning. Everything returned is a fresh copy: no fact pins the input buffer.
 */
import { encodeBase64, toPem } from "./Base64.js"
import type { CertificateFacts, PublicKeyInfo, SerialNumber } from "./CertificateFacts.js"
import {
  children,
  content,
  DerError,
  DerReader,
  decodeBitString,
  decodeInteger,
  decodeOid,
  describe,
  hex,
  integerBitLength,
  readTlv,
  Tag,
  TagClass,
  type Tlv
} from "./Der.js"
import { nameBudget, parseName } from "./DistinguishedName.js"
import { parseExtensions } from "./Extensions.js"
import { Limits } from "./Limits.js"
import { fixedKeySizes, javaSignatureNames, namedCurves, Oid, publicKeyAlgorithms } from "./Oids.js"
import { decodeTime } from "./Time.js"
import { capMessage } from "./X509Error.js"

export type Digest = (algorithm: "SHA-1" | "SHA-256", data: Uint8Array) => Promise<string>

/** The certificate at `tlv` (already read from its container); throws DerError when malformed. */
export const readCertificate = async (tlv: Tlv, digest: Digest): Promise<CertificateFacts> => {
  const warnings: string[] = []
  if (tlv.cls !== TagClass.Universal || tlv.tag !== Tag.Sequence || !tlv.constructed) {
    throw new DerError("Certificate", `expected SEQUENCE, found ${describe(tlv)}`)
  }
  const cert = children(tlv, "Certificate")
  const tbs = cert.expect(Tag.Sequence, "tbsCertificate")
  const outerAlg = cert.expect(Tag.Sequence, "signatureAlgorithm")
  const outerAlgOid = decodeOid(
    children(outerAlg, "Certificate.signatureAlgorithm").next("algorithm"),
    "Certificate.signatureAlgorithm.algorithm"
  )
  decodeBitString(cert.next("signatureValue"), "Certificate.signatureValue")
  cert.end()

  const t = new DerReader(tbs, "TBSCertificate")
  let version = 1
  const explicitVersion = t.optionalContext(0, "version")
  if (explicitVersion !== undefined) {
    const v = children(explicitVersion, "TBSCertificate.version")
    const n = decodeVersion(v.expect(Tag.Integer, "value"))
    v.end()
    version = n + 1
    if (n === 0) warnings.push("TBSCertificate.version: v1 encoded explicitly (DER omits the default)")
    if (n > 2) warnings.push(`TBSCertificate.version: unknown version ${version}`)
  }

  const serialTlv = t.expect(Tag.Integer, "serialNumber")
  const serial = serialFacts(serialTlv, warnings)

  const innerAlg = t.expect(Tag.Sequence, "signature")
  const innerAlgOid = decodeOid(
    children(innerAlg, "TBSCertificate.signature").next("algorithm"),
    "TBSCertificate.signature.algorithm"
  )
  if (!sameBytes(tlvBytes(innerAlg), tlvBytes(outerAlg))) {
    warnings.push(
      innerAlgOid === outerAlgOid
        ? "TBSCertificate.signature: parameters differ from Certificate.signatureAlgorithm"
        : `TBSCertificate.signature: ${innerAlgOid} differs from Certificate.signatureAlgorithm ${outerAlgOid}`
    )
  }

  const names = nameBudget()
  const issuer = parseName(t.next("issuer"), "TBSCertificate.issuer", warnings, names)
  if (issuer.rdns.length === 0) warnings.push("TBSCertificate.issuer: empty name")

  const validity = children(t.expect(Tag.Sequence, "validity"), "TBSCertificate.validity")
  const notBefore = decodeTime(validity.next("notBefore"), "TBSCertificate.validity.notBefore", warnings)
  const notAfter = decodeTime(validity.next("notAfter"), "TBSCertificate.validity.notAfter", warnings)
  validity.end()

  const subject = parseName(t.next("subject"), "TBSCertificate.subject", warnings, names)

  const spkiTlv = t.expect(Tag.Sequence, "subjectPublicKeyInfo")
  const spkiDer = tlvBytes(spkiTlv).slice()
  const publicKey = readPublicKey(spkiTlv, spkiDer, warnings)

  const issuerUid = t.optionalContext(1, "issuerUniqueID")
  const subjectUid = t.optionalContext(2, "subjectUniqueID")
  if ((issuerUid !== undefined || subjectUid !== undefined) && version < 2) {
    warnings.push("TBSCertificate: unique identifiers in a v1 certificate")
  }
  const extWrapper = t.optionalContext(3, "extensions")
  let extSeq: Tlv | undefined
  if (extWrapper !== undefined) {
    if (!extWrapper.constructed) throw new DerError("TBSCertificate.extensions", "expected a constructed [3]")
    extSeq = readTlv(tbs.bytes, extWrapper.contentStart, extWrapper.end, "TBSCertificate.extensions")
    if (extSeq.end !== extWrapper.end) {
      throw new DerError(
        "TBSCertificate.extensions",
        `${extWrapper.end - extSeq.end} unexpected bytes after the SEQUENCE`
      )
    }
    if (version < 3) warnings.push(`TBSCertificate.extensions: extensions in a v${version} certificate`)
  }
  t.end()
  const extensions = parseExtensions(extSeq, "TBSCertificate.extensions", warnings, names)

  const der = tlvBytes(tlv).slice()
  const [sha1, sha256, spkiSha256] = await Promise.all([
    digest("SHA-1", der),
    digest("SHA-256", der),
    digest("SHA-256", spkiDer)
  ])
  return {
    version,
    serial,
    sha1,
    sha256,
    spkiSha256,
    notBefore,
    notAfter,
    subject,
    issuer,
    signatureAlgorithm: { oid: outerAlgOid, name: javaSignatureNames[outerAlgOid] ?? outerAlgOid },
    publicKey,
    extensions,
    warnings: boundedWarnings(warnings),
    der,
    pem: toPem("CERTIFICATE", der)
  }
}

/** 0..100 (v1..v101; above v3 is a warning). Refused by its length alone when it cannot be that small. */
const decodeVersion = (tlv: Tlv): number => {
  const length = tlv.end - tlv.contentStart
  if (length > 2)
    throw new DerError("TBSCertificate.version", `invalid version (INTEGER of ${length} octets)`)
  const n = Number(decodeInteger(tlv, "TBSCertificate.version"))
  if (n < 0 || n > 100) throw new DerError("TBSCertificate.version", `invalid version ${n}`)
  return n
}

/**
 * Warnings as facts: each one printable line under 1 KB, and at most `Limits.maxWarnings` of them
 * (a certificate of thousands of empty RDNs or duplicate extensions still reads as a handful).
 */
const boundedWarnings = (warnings: string[]): string[] => {
  const kept = warnings.length > Limits.maxWarnings ? warnings.slice(0, Limits.maxWarnings - 1) : warnings
  const out = kept.map(capMessage)
  if (warnings.length > Limits.maxWarnings)
    out.push(`${warnings.length - kept.length} more warnings not listed`)
  return out
}

const tlvBytes = (tlv: Tlv): Uint8Array => tlv.bytes.subarray(tlv.start, tlv.end)

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i])

export const serialFacts = (tlv: Tlv, warnings: string[]): SerialNumber => {
  const bytes = content(tlv)
  if (bytes.length > Limits.maxSerialBytes) {
    throw new DerError(
      "TBSCertificate.serialNumber",
      `${bytes.length} octets (more than ${Limits.maxSerialBytes})`
    )
  }
  const value = decodeInteger(tlv, "TBSCertificate.serialNumber")
  if (value < 0n) warnings.push("TBSCertificate.serialNumber: negative")
  if (value === 0n) warnings.push("TBSCertificate.serialNumber: zero")
  if (bytes.length > 20)
    warnings.push(`TBSCertificate.serialNumber: ${bytes.length} octets (RFC 5280 allows 20)`)
  return serialFromBigInt(value, hex(bytes))
}

export const serialFromBigInt = (value: bigint, windows: string): SerialNumber => ({
  windows,
  hex: value < 0n ? `-${(-value).toString(16).toUpperCase()}` : value.toString(16).toUpperCase(),
  decimal: value.toString()
})

const bitLength = integerBitLength

const readPublicKey = (spki: Tlv, spkiDer: Uint8Array, warnings: string[]): PublicKeyInfo => {
  const r = children(spki, "TBSCertificate.subjectPublicKeyInfo")
  const alg = children(r.expect(Tag.Sequence, "algorithm"), "TBSCertificate.subjectPublicKeyInfo.algorithm")
  const oid = decodeOid(alg.next("algorithm"), "TBSCertificate.subjectPublicKeyInfo.algorithm.algorithm")
  const params = alg.done ? undefined : alg.next("parameters")
  const key = decodeBitString(
    r.next("subjectPublicKey"),
    "TBSCertificate.subjectPublicKeyInfo.subjectPublicKey"
  )
  r.end()
  const algorithm = publicKeyAlgorithms[oid] ?? oid
  let size: number | undefined = fixedKeySizes[algorithm]
  let curve: string | undefined
  const path = `TBSCertificate.subjectPublicKeyInfo (${algorithm})`
  try {
    if (oid === Oid.rsaEncryption || oid === Oid.rsaPss) {
      const keyTlv = readTlv(key.bits, 0, key.bits.length, path)
      size = bitLength(children(keyTlv, path).expect(Tag.Integer, "modulus"), `${path}.modulus`)
    } else if (oid === Oid.ecPublicKey && params !== undefined) {
      if (params.cls === TagClass.Universal && params.tag === Tag.Oid) {
        const curveOid = decodeOid(params, `${path}.namedCurve`)
        curve = namedCurves[curveOid]?.name ?? curveOid
        size = namedCurves[curveOid]?.size
      } else if (params.cls === TagClass.Universal && params.tag === Tag.Sequence) {
        // Explicit curve parameters: the field size is the bit length of the prime.
        const ecp = children(params, `${path}.parameters`)
        ecp.expect(Tag.Integer, "version")
        const field = children(ecp.expect(Tag.Sequence, "fieldID"), `${path}.parameters.fieldID`)
        field.next("fieldType")
        size = bitLength(field.expect(Tag.Integer, "prime"), `${path}.parameters.prime`)
      }
    } else if (oid === Oid.dsa && params !== undefined && params.tag === Tag.Sequence) {
      size = bitLength(children(params, path).expect(Tag.Integer, "p"), `${path}.p`)
    }
  } catch (e) {
    if (!(e instanceof DerError)) throw e
    warnings.push(`${e.message} (key size unknown)`)
  }
  const b64 = encodeBase64(spkiDer)
  if (size !== undefined && size > Limits.maxKeyBits) {
    warnings.push(`${path}: key of ${size} bits, more than ${Limits.maxKeyBits} (key size not reported)`)
    size = undefined
  }
  return { algorithm, oid, size, curve, spki: b64, pem: toPem("PUBLIC KEY", spkiDer) }
}
