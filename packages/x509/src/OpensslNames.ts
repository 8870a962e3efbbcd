/**
 * Names of OIDs exactly as `openssl x509 -text` (OpenSSL 3.0) prints them: the extension headings,
 * the extended key usages and the access methods of Authority / Subject Information Access. OpenSSL
 * prints an object's long name, and the dotted OID when it has none; so do these functions. Every
 * name was taken from OpenSSL 3.0.19 itself (`x509 -text` over the shared corpus, and `asn1parse
 * -genconf` for an OID the corpus lacks: both print the same long name), not written from memory.
 * The tables hold what a user meets: everything the corpus shows plus the common ones.
 *
 * OpenSSL 3.0 has no name for the Microsoft AD CS extensions (1.3.6.1.4.1.311.21.7 certificate
 * template, 21.10 application policies, 20.2 template name, 25.2 NTDS security, 21.1 CA version, 21.2
 * previous CA hash): it prints their OIDs, and so does `extensionName`.
 */

const extensions: ReadonlyMap<string, string> = new Map([
  ["2.5.29.9", "X509v3 Subject Directory Attributes"],
  ["2.5.29.14", "X509v3 Subject Key Identifier"],
  ["2.5.29.15", "X509v3 Key Usage"],
  ["2.5.29.16", "X509v3 Private Key Usage Period"],
  ["2.5.29.17", "X509v3 Subject Alternative Name"],
  ["2.5.29.18", "X509v3 Issuer Alternative Name"],
  ["2.5.29.19", "X509v3 Basic Constraints"],
  ["2.5.29.30", "X509v3 Name Constraints"],
  ["2.5.29.31", "X509v3 CRL Distribution Points"],
  ["2.5.29.32", "X509v3 Certificate Policies"],
  ["2.5.29.33", "X509v3 Policy Mappings"],
  ["2.5.29.35", "X509v3 Authority Key Identifier"],
  ["2.5.29.36", "X509v3 Policy Constraints"],
  ["2.5.29.37", "X509v3 Extended Key Usage"],
  ["2.5.29.46", "X509v3 Freshest CRL"],
  ["2.5.29.54", "X509v3 Inhibit Any Policy"],
  ["1.3.6.1.5.5.7.1.1", "Authority Information Access"],
  ["1.3.6.1.5.5.7.1.2", "Biometric Info"],
  ["1.3.6.1.5.5.7.1.3", "qcStatements"],
  ["1.3.6.1.5.5.7.1.7", "sbgp-ipAddrBlock"],
  ["1.3.6.1.5.5.7.1.8", "sbgp-autonomousSysNum"],
  ["1.3.6.1.5.5.7.1.11", "Subject Information Access"],
  ["1.3.6.1.5.5.7.1.14", "Proxy Certificate Information"],
  ["1.3.6.1.5.5.7.1.24", "TLS Feature"],
  ["1.3.6.1.5.5.7.48.1.5", "OCSP No Check"],
  ["1.3.6.1.4.1.11129.2.4.2", "CT Precertificate SCTs"],
  ["1.3.6.1.4.1.11129.2.4.3", "CT Precertificate Poison"],
  ["1.2.840.113549.1.9.15", "S/MIME Capabilities"],
  ["2.16.840.1.113730.1.1", "Netscape Cert Type"],
  ["2.16.840.1.113730.1.2", "Netscape Base Url"],
  ["2.16.840.1.113730.1.3", "Netscape Revocation Url"],
  ["2.16.840.1.113730.1.4", "Netscape CA Revocation Url"],
  ["2.16.840.1.113730.1.7", "Netscape Renewal Url"],
  ["2.16.840.1.113730.1.8", "Netscape CA Policy Url"],
  ["2.16.840.1.113730.1.12", "Netscape SSL Server Name"],
  ["2.16.840.1.113730.1.13", "Netscape Comment"],
  ["1.2.643.100.111", "Signing Tool of Subject"],
  ["1.2.643.100.112", "Signing Tool of Issuer"],
  ["2.23.42.7.0", "setCext-hashedRoot"]
])

const extendedKeyUsages: ReadonlyMap<string, string> = new Map([
  ["1.3.6.1.5.5.7.3.1", "TLS Web Server Authentication"],
  ["1.3.6.1.5.5.7.3.2", "TLS Web Client Authentication"],
  ["1.3.6.1.5.5.7.3.3", "Code Signing"],
  ["1.3.6.1.5.5.7.3.4", "E-mail Protection"],
  ["1.3.6.1.5.5.7.3.5", "IPSec End System"],
  ["1.3.6.1.5.5.7.3.6", "IPSec Tunnel"],
  ["1.3.6.1.5.5.7.3.7", "IPSec User"],
  ["1.3.6.1.5.5.7.3.8", "Time Stamping"],
  ["1.3.6.1.5.5.7.3.9", "OCSP Signing"],
  ["1.3.6.1.5.5.7.3.10", "dvcs"],
  ["1.3.6.1.5.5.7.3.17", "ipsec Internet Key Exchange"],
  ["1.3.6.1.5.5.7.3.21", "SSH Client"],
  ["1.3.6.1.5.5.7.3.22", "SSH Server"],
  ["1.3.6.1.5.5.7.3.27", "CMC Certificate Authority"],
  ["1.3.6.1.5.5.7.3.28", "CMC Registration Authority"],
  ["1.3.6.1.5.5.7.3.29", "CMC Archive Server"],
  ["1.3.6.1.5.5.7.3.30", "BGPsec Router"],
  ["1.3.6.1.5.5.7.3.31", "Brand Indicator for Message Identification"],
  ["2.5.29.37.0", "Any Extended Key Usage"],
  ["1.3.6.1.4.1.311.2.1.21", "Microsoft Individual Code Signing"],
  ["1.3.6.1.4.1.311.2.1.22", "Microsoft Commercial Code Signing"],
  ["1.3.6.1.4.1.311.10.3.1", "Microsoft Trust List Signing"],
  ["1.3.6.1.4.1.311.10.3.3", "Microsoft Server Gated Crypto"],
  ["1.3.6.1.4.1.311.10.3.4", "Microsoft Encrypted File System"],
  ["1.3.6.1.4.1.311.20.2.2", "Microsoft Smartcard Login"],
  ["1.3.6.1.5.2.3.4", "PKINIT Client Auth"],
  ["1.3.6.1.5.2.3.5", "Signing KDC Response"],
  ["2.16.840.1.113730.4.1", "Netscape Server Gated Crypto"],
  ["1.3.6.1.4.1.11129.2.4.4", "CT Precertificate Signer"]
])

const accessMethods: ReadonlyMap<string, string> = new Map([
  ["1.3.6.1.5.5.7.48.1", "OCSP"],
  ["1.3.6.1.5.5.7.48.2", "CA Issuers"],
  ["1.3.6.1.5.5.7.48.3", "AD Time Stamping"],
  ["1.3.6.1.5.5.7.48.4", "ad dvcs"],
  ["1.3.6.1.5.5.7.48.5", "CA Repository"]
])

/** The heading `openssl x509 -text` prints for an extension ("X509v3 Key Usage"), or the OID. */
export const extensionName = (oid: string): string => extensions.get(oid) ?? oid

/** An extended key usage as `openssl x509 -text` prints it ("TLS Web Server Authentication"), or the OID. */
export const extendedKeyUsageName = (oid: string): string => extendedKeyUsages.get(oid) ?? oid

/** An AIA / SIA access method as `openssl x509 -text` prints it ("OCSP", "CA Issuers"), or the OID. */
export const accessMethodName = (oid: string): string => accessMethods.get(oid) ?? oid
