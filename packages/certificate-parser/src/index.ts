/**
 * @certory/certificate-parser: the CertificateParser port implemented over @certory/x509.
 */
export * as X509CertificateParser from "./X509CertificateParser.js"
