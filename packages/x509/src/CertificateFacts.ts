/**
 * The plain facts certory derives from one X.509 certificate. Plain data only (strings, numbers,
 * booleans, arrays, Uint8Array): no parsed pkijs object survives extraction, so keeping 100k of these
 * costs what the facts cost, not what the ASN.1 trees cost.
 */

/** One attribute of a relative distinguished name. */
export interface RdnAttribute {
  /** Dotted OID of the attribute type, e.g. "2.5.4.3". */
  readonly oid: string
  /** Short name when one is registered (CN, O, OU, C, L, ST, DC, UID, emailAddress, ...). */
  readonly shortName: string | undefined
  /** The value as text (for non-string values: "#" + hex of the DER, as RFC 4514 says). */
  readonly value: string
  /** ASN.1 string type of the value: UTF8String, PrintableString, IA5String, BMPString, TeletexString, UniversalString, VisibleString, NumericString, or "other". */
  readonly stringType: string
}

export interface DistinguishedName {
  /** RFC 4514 string (most specific RDN first), e.g. "CN=Alice,O=Contoso,C=US". */
  readonly rfc4514: string
  /** Exactly what Java's X500Principal.getName() (RFC 2253) prints: used by the Huawei wire format. */
  readonly rfc2253: string
  /** The RDNs in certificate (encoding) order, each a set of attributes. */
  readonly rdns: ReadonlyArray<ReadonlyArray<RdnAttribute>>
}

export interface SerialNumber {
  /** Uppercase hex of the INTEGER's content bytes as Windows shows them, sign byte kept ("00C3..."). */
  readonly windows: string
  /**
   * Canonical uppercase hex of the value: no leading zeros ("0" for zero), "-" prefix when negative, as
   * Java's BigInteger.toString(16) prints it. OpenSSL pads to whole bytes ("01", "-04316693ED"): the
   * same value once leading zeros are dropped. `normalizeLookup` returns serials in this form.
   */
  readonly hex: string
  /** Signed decimal string ("-1", "107784180807461748442456173960326386288"). */
  readonly decimal: string
}

export interface SignatureAlgorithm {
  readonly oid: string
  /** Java's name: SHA256withRSA, SHA384withECDSA, Ed25519, Ed448, RSASSA-PSS, SHA1withDSA, MD5withRSA; the OID when Java has none. */
  readonly name: string
}

export interface PublicKeyInfo {
  /** RSA, EC, DSA, Ed25519, Ed448, X25519, X448, RSASSA-PSS, or the OID when unknown. */
  readonly algorithm: string
  readonly oid: string
  /** Key size in bits (RSA modulus, DSA p, EC field size), when known. */
  readonly size: number | undefined
  /** Named curve for EC keys (P-256, P-384, P-521, secp256k1, ... or the curve OID). */
  readonly curve: string | undefined
  /** DER SubjectPublicKeyInfo, base64 (Java's getPublicKey().getEncoded() convention). */
  readonly spki: string
  /** "-----BEGIN PUBLIC KEY-----" PEM of the SPKI. */
  readonly pem: string
}

export type GeneralName =
  | { readonly type: "dns"; readonly value: string }
  | { readonly type: "email"; readonly value: string }
  | { readonly type: "uri"; readonly value: string }
  | { readonly type: "ip"; readonly value: string }
  | { readonly type: "upn"; readonly value: string }
  | { readonly type: "directoryName"; readonly value: string }
  | { readonly type: "registeredId"; readonly value: string }
  | { readonly type: "other"; readonly value: string }

export interface MicrosoftTemplate {
  /** 1.3.6.1.4.1.311.21.7: template OID and versions. */
  readonly oid: string | undefined
  readonly majorVersion: number | undefined
  readonly minorVersion: number | undefined
  /** 1.3.6.1.4.1.311.20.2: template name (BMPString in real certificates, UTF8String per spec). */
  readonly name: string | undefined
}

/** One AccessDescription of Authority Information Access. */
export interface AccessDescription {
  /** Dotted OID of the access method: 1.3.6.1.5.5.7.48.1 (OCSP), 1.3.6.1.5.5.7.48.2 (CA Issuers), ... (`accessMethodName` names it). */
  readonly method: string
  readonly location: GeneralName
}

export interface Extensions {
  readonly subjectAltNames: ReadonlyArray<GeneralName> | undefined
  /** digitalSignature, nonRepudiation, keyEncipherment, dataEncipherment, keyAgreement, keyCertSign, cRLSign, encipherOnly, decipherOnly. */
  readonly keyUsage: ReadonlyArray<string> | undefined
  /** OIDs of the extended key usages, in certificate order (`extendedKeyUsageName` gives the name openssl prints). */
  readonly extendedKeyUsage: ReadonlyArray<string> | undefined
  readonly basicConstraints: { readonly ca: boolean; readonly pathLength: number | undefined } | undefined
  /** Uppercase hex. */
  readonly subjectKeyIdentifier: string | undefined
  /** Uppercase hex of the keyIdentifier field. */
  readonly authorityKeyIdentifier: string | undefined
  /**
   * CRL distribution points (2.5.29.31): the fullName GeneralNames of every DistributionPoint, in
   * certificate order, as one list (a point with two URIs gives two entries). What this list leaves
   * out: a nameRelativeToCRLIssuer (a point named relative to its CRL issuer contributes nothing), the
   * reasons and the cRLIssuer of each point. A malformed value is a warning and leaves this undefined.
   */
  readonly crlDistributionPoints: ReadonlyArray<GeneralName> | undefined
  /**
   * Authority Information Access (1.3.6.1.5.5.7.1.1): every access description, in certificate order.
   * A malformed value is a warning and leaves this undefined.
   */
  readonly authorityInfoAccess: ReadonlyArray<AccessDescription> | undefined
  readonly microsoftTemplate: MicrosoftTemplate | undefined
  /** Every extension present, in order, with its criticality (known or not); `extensionName` gives openssl's heading. */
  readonly all: ReadonlyArray<{ readonly oid: string; readonly critical: boolean }>
}

export interface CertificateFacts {
  /** 1, 2 or 3. */
  readonly version: number
  readonly serial: SerialNumber
  /** Uppercase hex, no separators. */
  readonly sha1: string
  readonly sha256: string
  /** SHA-256 of the DER SubjectPublicKeyInfo, uppercase hex. */
  readonly spkiSha256: string
  /** Epoch milliseconds, exact (decoded from the raw UTCTime / GeneralizedTime bytes). */
  readonly notBefore: number
  readonly notAfter: number
  readonly subject: DistinguishedName
  readonly issuer: DistinguishedName
  readonly signatureAlgorithm: SignatureAlgorithm
  readonly publicKey: PublicKeyInfo
  readonly extensions: Extensions
  /** Things accepted but not strictly valid (e.g. "notBefore: UTCTime without seconds"). */
  readonly warnings: ReadonlyArray<string>
  readonly der: Uint8Array
  /** Canonical PEM: "-----BEGIN CERTIFICATE-----", base64 in 64-column lines, "\n" line ends. */
  readonly pem: string
}
