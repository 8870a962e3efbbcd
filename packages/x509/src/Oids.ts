/**
 * The OID tables the facts need: Java's signature algorithm names (the Huawei wire format mirrors
 * Java), public key algorithms and curves, and short names for distinguished name attributes.
 */

/** Java 17's `X509Certificate.getSigAlgName()`; Java prints the OID for anything else. */
export const javaSignatureNames: Readonly<Record<string, string>> = {
  "1.2.840.113549.1.1.2": "MD2withRSA",
  "1.2.840.113549.1.1.4": "MD5withRSA",
  "1.2.840.113549.1.1.5": "SHA1withRSA",
  "1.3.14.3.2.29": "SHA1withRSA",
  "1.2.840.113549.1.1.14": "SHA224withRSA",
  "1.2.840.113549.1.1.11": "SHA256withRSA",
  "1.2.840.113549.1.1.12": "SHA384withRSA",
  "1.2.840.113549.1.1.13": "SHA512withRSA",
  "1.2.840.113549.1.1.15": "SHA512/224withRSA",
  "1.2.840.113549.1.1.16": "SHA512/256withRSA",
  "1.2.840.113549.1.1.10": "RSASSA-PSS",
  "2.16.840.1.101.3.4.3.13": "SHA3-224withRSA",
  "2.16.840.1.101.3.4.3.14": "SHA3-256withRSA",
  "2.16.840.1.101.3.4.3.15": "SHA3-384withRSA",
  "2.16.840.1.101.3.4.3.16": "SHA3-512withRSA",
  "1.2.840.10040.4.3": "SHA1withDSA",
  "2.16.840.1.101.3.4.3.1": "SHA224withDSA",
  "2.16.840.1.101.3.4.3.2": "SHA256withDSA",
  "2.16.840.1.101.3.4.3.3": "SHA384withDSA",
  "2.16.840.1.101.3.4.3.4": "SHA512withDSA",
  "1.2.840.10045.4.1": "SHA1withECDSA",
  "1.2.840.10045.4.3.1": "SHA224withECDSA",
  "1.2.840.10045.4.3.2": "SHA256withECDSA",
  "1.2.840.10045.4.3.3": "SHA384withECDSA",
  "1.2.840.10045.4.3.4": "SHA512withECDSA",
  "2.16.840.1.101.3.4.3.9": "SHA3-224withECDSA",
  "2.16.840.1.101.3.4.3.10": "SHA3-256withECDSA",
  "2.16.840.1.101.3.4.3.11": "SHA3-384withECDSA",
  "2.16.840.1.101.3.4.3.12": "SHA3-512withECDSA",
  "1.3.101.112": "Ed25519",
  "1.3.101.113": "Ed448"
}

export const publicKeyAlgorithms: Readonly<Record<string, string>> = {
  "1.2.840.113549.1.1.1": "RSA",
  "1.2.840.113549.1.1.10": "RSASSA-PSS",
  "1.2.840.10045.2.1": "EC",
  "1.2.840.10040.4.1": "DSA",
  "1.3.101.110": "X25519",
  "1.3.101.111": "X448",
  "1.3.101.112": "Ed25519",
  "1.3.101.113": "Ed448",
  "2.16.840.1.101.3.4.3.17": "ML-DSA-44",
  "2.16.840.1.101.3.4.3.18": "ML-DSA-65",
  "2.16.840.1.101.3.4.3.19": "ML-DSA-87",
  "2.16.840.1.101.3.4.4.1": "ML-KEM-512",
  "2.16.840.1.101.3.4.4.2": "ML-KEM-768",
  "2.16.840.1.101.3.4.4.3": "ML-KEM-1024"
}

/** Fixed key sizes of algorithms whose SPKI carries no size. */
export const fixedKeySizes: Readonly<Record<string, number>> = {
  X25519: 255,
  Ed25519: 255,
  X448: 448,
  Ed448: 448
}

export const namedCurves: Readonly<Record<string, { readonly name: string; readonly size: number }>> = {
  "1.2.840.10045.3.1.1": { name: "P-192", size: 192 },
  "1.3.132.0.33": { name: "P-224", size: 224 },
  "1.2.840.10045.3.1.7": { name: "P-256", size: 256 },
  "1.3.132.0.34": { name: "P-384", size: 384 },
  "1.3.132.0.35": { name: "P-521", size: 521 },
  "1.3.132.0.10": { name: "secp256k1", size: 256 },
  "1.3.36.3.3.2.8.1.1.7": { name: "brainpoolP256r1", size: 256 },
  "1.3.36.3.3.2.8.1.1.11": { name: "brainpoolP384r1", size: 384 },
  "1.3.36.3.3.2.8.1.1.13": { name: "brainpoolP512r1", size: 512 }
}

/** Short names of attribute types (OpenSSL's spelling), used for the RFC 4514 string and the RDN facts. */
export const attributeShortNames: Readonly<Record<string, string>> = {
  "2.5.4.3": "CN",
  "2.5.4.4": "SN",
  "2.5.4.5": "serialNumber",
  "2.5.4.6": "C",
  "2.5.4.7": "L",
  "2.5.4.8": "ST",
  "2.5.4.9": "street",
  "2.5.4.10": "O",
  "2.5.4.11": "OU",
  "2.5.4.12": "title",
  "2.5.4.13": "description",
  "2.5.4.15": "businessCategory",
  "2.5.4.17": "postalCode",
  "2.5.4.18": "postOfficeBox",
  "2.5.4.20": "telephoneNumber",
  "2.5.4.42": "GN",
  "2.5.4.43": "initials",
  "2.5.4.44": "generationQualifier",
  "2.5.4.45": "x500UniqueIdentifier",
  "2.5.4.46": "dnQualifier",
  "2.5.4.65": "pseudonym",
  "2.5.4.97": "organizationIdentifier",
  "0.9.2342.19200300.100.1.1": "UID",
  "0.9.2342.19200300.100.1.25": "DC",
  "1.2.840.113549.1.9.1": "emailAddress",
  "1.2.643.3.131.1.1": "INN",
  "1.2.643.100.1": "OGRN",
  "1.2.643.100.3": "SNILS",
  "1.3.6.1.4.1.311.60.2.1.1": "jurisdictionL",
  "1.3.6.1.4.1.311.60.2.1.2": "jurisdictionST",
  "1.3.6.1.4.1.311.60.2.1.3": "jurisdictionC"
}

/** The only keywords Java's RFC 2253 printer uses; every other type is printed as a dotted OID. */
export const javaRfc2253Keywords: Readonly<Record<string, string>> = {
  "2.5.4.3": "CN",
  "2.5.4.6": "C",
  "2.5.4.7": "L",
  "2.5.4.8": "ST",
  "2.5.4.10": "O",
  "2.5.4.11": "OU",
  "2.5.4.9": "STREET",
  "0.9.2342.19200300.100.1.25": "DC",
  "0.9.2342.19200300.100.1.1": "UID"
}

export const keyUsageNames = [
  "digitalSignature",
  "nonRepudiation",
  "keyEncipherment",
  "dataEncipherment",
  "keyAgreement",
  "keyCertSign",
  "cRLSign",
  "encipherOnly",
  "decipherOnly"
] as const

export const Oid = {
  subjectKeyIdentifier: "2.5.29.14",
  keyUsage: "2.5.29.15",
  subjectAltName: "2.5.29.17",
  basicConstraints: "2.5.29.19",
  authorityKeyIdentifier: "2.5.29.35",
  extKeyUsage: "2.5.29.37",
  crlDistributionPoints: "2.5.29.31",
  authorityInfoAccess: "1.3.6.1.5.5.7.1.1",
  msTemplateInfo: "1.3.6.1.4.1.311.21.7",
  msTemplateName: "1.3.6.1.4.1.311.20.2",
  msUpn: "1.3.6.1.4.1.311.20.2.3",
  signedData: "1.2.840.113549.1.7.2",
  ecPublicKey: "1.2.840.10045.2.1",
  rsaEncryption: "1.2.840.113549.1.1.1",
  rsaPss: "1.2.840.113549.1.1.10",
  dsa: "1.2.840.10040.4.1"
} as const
