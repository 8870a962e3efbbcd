/**
 * PKCS#7 / CMS certs-only bundles (.p7b). The container may legitimately be BER (indefinite lengths
 * from streaming encoders), so it is decoded with pkijs (`ContentInfo` + `SignedData`, over asn1js);
 * only the exact bytes of each certificate leave this module, to be read by the strict DER reader like
 * a loose certificate. pkijs needs no crypto engine to decode, so none is set or used here.
 */
import * as asn1js from "asn1js"
import { Certificate, ContentInfo, SignedData } from "pkijs"

export type Pkcs7Entry =
  /** The certificate's own encoding, copied out of the input, not yet checked to be DER. */
  | { readonly _tag: "Certificate"; readonly encoding: Uint8Array }
  /** A CertificateChoices alternative that is not an X.509 certificate. */
  | { readonly _tag: "Skipped"; readonly kind: string }

export type Pkcs7Bundle =
  /** `end`: offset just past the ContentInfo (anything after it is the caller's concern). */
  | { readonly _tag: "Read"; readonly entries: ReadonlyArray<Pkcs7Entry>; readonly end: number }
  | { readonly _tag: "Unsupported"; readonly reason: string }

const SIGNED_DATA = "1.2.840.113549.1.7.2"

/** RFC 5652 CertificateChoices other than `certificate`, by context tag. */
const otherChoices: Record<number, string> = {
  0: "PKCS#6 extended certificate ([0])",
  1: "version 1 attribute certificate ([1])",
  2: "version 2 attribute certificate ([2])",
  3: "other certificate format ([3])"
}

/** asn1js tag classes: 1 universal, 2 application, 3 context-specific, 4 private. */
const CONTEXT = 3

/**
 * ContentInfo starts with its content-type OID, a certificate with a SEQUENCE. Only the headers are
 * looked at, in any BER length form (a bundle may use indefinite or non-minimal lengths).
 */
export const looksLikeContentInfo = (bytes: Uint8Array): boolean => {
  if (bytes.length < 3 || bytes[0] !== 0x30) return false
  const first = bytes[1]!
  const at = first <= 0x80 ? 2 : first <= 0x84 ? 2 + (first & 0x7f) : -1
  return at > 0 && bytes[at] === 0x06
}

const unsupported = (reason: string): Pkcs7Bundle => ({ _tag: "Unsupported", reason })

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e))

/** Never throws: a malformed container is `Unsupported` with asn1js's or pkijs's reason. */
export const readPkcs7Bundle = (bytes: Uint8Array): Pkcs7Bundle => {
  // asn1js's default node limit (10 000) would refuse bundles of more than ~50 certificates; a node
  // takes at least 2 bytes, so the input size bounds the work instead. Depth stays at asn1js's 100.
  // parseEmbedded: false, so asn1js does not also try every OCTET / BIT STRING as nested ASN.1.
  const decoded = asn1js.fromBER(bytes, {
    maxNodes: bytes.length,
    maxContentLength: bytes.length,
    parseEmbedded: false
  })
  if (decoded.offset === -1) return unsupported(`malformed PKCS#7: ${decoded.result.error}`)
  let info: ContentInfo
  try {
    info = new ContentInfo({ schema: decoded.result })
  } catch (e) {
    return unsupported(`malformed PKCS#7: not a ContentInfo (${messageOf(e)})`)
  }
  if (info.contentType !== SIGNED_DATA) {
    return unsupported(`content type ${info.contentType} is not SignedData (${SIGNED_DATA})`)
  }
  const content = info.content as asn1js.Sequence
  let signedData: SignedData
  try {
    signedData = new SignedData({ schema: content })
  } catch (e) {
    return unsupported(`malformed PKCS#7: not a SignedData (${messageOf(e)})`)
  }
  // pkijs keeps parsed objects, not encodings: the bytes come from the asn1js elements it was built
  // from, in the same order (SignedData.certificates is the [0] IMPLICIT CertificateSet, field 4).
  const set = content.valueBlock.value.find(
    (b) => b.idBlock.tagClass === CONTEXT && b.idBlock.tagNumber === 0
  ) as asn1js.Constructed | undefined
  const elements = set?.valueBlock.value ?? []
  const parsed = signedData.certificates ?? []
  if (elements.length !== parsed.length) {
    return unsupported(
      `malformed PKCS#7: ${elements.length} certificate entries decoded, ${parsed.length} recognised`
    )
  }
  const entries = elements.map((element, i): Pkcs7Entry => {
    if (parsed[i] instanceof Certificate && element.idBlock.tagClass !== CONTEXT) {
      // A fresh copy: neither the input nor asn1js's tree is pinned by what the caller keeps.
      return { _tag: "Certificate", encoding: element.valueBeforeDecodeView.slice() }
    }
    const kind = otherChoices[element.idBlock.tagNumber] ?? `[${element.idBlock.tagNumber}]`
    return { _tag: "Skipped", kind }
  })
  return { _tag: "Read", entries, end: decoded.offset }
}
